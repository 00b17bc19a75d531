/* Junctions of any degree: the states of the vessel ends that meet at a node.

   Unknowns: the velocity u_k of each end and the common pressure P. Equations: for every end the outgoing
   invariant from inside its vessel, which gives its area through s_k = A_k^{1/4} = sign_k (W_k - u_k) /
   (4 gamma_k), continuity of the total pressure p_k + rho u_k^2 / 2 = P (or of the static pressure), and
   conservation of mass, sum_k sign_k u_k A_k = 0. Velocities rather than areas are the unknowns because
   u = W - 4 sign c is the small difference of two large numbers: solving for u keeps every flow, and so
   the mass balance, accurate to round-off relative to the flows themselves. The Newton matrix is an arrow
   (diagonal plus a row and a column), so each iteration is solved exactly in O(n) by eliminating P.
   Convergence is judged per equation in physical units: pressure residuals in Pa, the mass residual in
   m^3/s (both floored at round-off). */
#pragma once

#include "havoc.h"
#include "outlet.h"

typedef struct {
  PetscInt  n;
  HavocEnd  end[HAVOC_MAX_DEGREE];
  PetscBool total_pressure;
} HavocJunction;

typedef struct {
  PetscReal ptol; /* [Pa] */
  PetscReal qtol; /* [m^3/s] */
  PetscInt  maxit;
} HavocJunctionTol;

/* Solves the junction for the invariants W. u holds the initial velocities (zeros: a cold start from rest)
   and returns the solution; A and Q receive the end states. Returns the number of Newton iterations, or
   -1 when it did not converge. */
PETSC_EXTERN PetscInt HavocJunctionSolve(const HavocJunction *J, const HavocJunctionTol *tol, const PetscReal W[], PetscReal u[], PetscReal A[], PetscReal Q[]);

/* Residuals of a candidate solution: pressure mismatch against the mean (Pa) and mass (m^3/s). */
PETSC_EXTERN void HavocJunctionResidual(const HavocJunction *J, const PetscReal W[], const PetscReal u[], PetscReal *pmax, PetscReal *mass);
