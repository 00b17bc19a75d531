/* The elastic tube law and the quantities derived from it.

   Transmural pressure rises with the square root of the lumen area (a thin elastic wall, Laplace's law):
       p(A) = p_ext + p_r + K (sqrt(A) - sqrt(A_r)),      K = beta / A_r,   beta = (4/3) sqrt(pi) E h
   where A_r is the lumen area at the reference transmural pressure p_r. With p_r = 0 this is the
   zero-pressure law; with p_r = P_d and A_r = A_d it is the diastolic reference of the Boileau benchmark,
   a different law (K = beta/A_d), not a change of variables. pr below is p_ext + p_r.

   Every derived quantity follows from the constitutive relation:
       wave speed        c^2 = (A / rho) dp/dA = K sqrt(A) / (2 rho)
       pressure flux     P(A) = (1/rho) int_0^A a dp/da da = K A^{3/2} / (3 rho)
       Riemann invariants W = u +- 4 c   (c is proportional to A^{1/4})
   These are static inline: they sit in the innermost loops. */
#pragma once

#include <petscsys.h>

/* Tube-law parameters at one point: a cell centre, a cell face or a vessel end. */
typedef struct {
  PetscReal K;      /* stiffness beta/A_r [Pa m^-1] */
  PetscReal sqrtAr; /* square root of the reference area [m] */
  PetscReal pr;     /* p_ext + p_r [Pa] */
} HavocTube;

static inline PetscReal HavocTubePressureS(const HavocTube *t, PetscReal sqrtA)
{
  return t->pr + t->K * (sqrtA - t->sqrtAr);
}

static inline PetscReal HavocTubePressure(const HavocTube *t, PetscReal A)
{
  return HavocTubePressureS(t, PetscSqrtReal(A));
}

/* sqrt(A) at pressure p; non-positive when p is below the collapse pressure of the law. */
static inline PetscReal HavocTubeSqrtArea(const HavocTube *t, PetscReal p)
{
  return t->sqrtAr + (p - t->pr) / t->K;
}

static inline PetscReal HavocTubeArea(const HavocTube *t, PetscReal p)
{
  const PetscReal s = HavocTubeSqrtArea(t, p);
  return s * s;
}

static inline PetscReal HavocTubeWaveSpeedS(const HavocTube *t, PetscReal rho, PetscReal sqrtA)
{
  return PetscSqrtReal(t->K * sqrtA / (2 * rho));
}

static inline PetscReal HavocTubeWaveSpeed(const HavocTube *t, PetscReal rho, PetscReal A)
{
  return HavocTubeWaveSpeedS(t, rho, PetscSqrtReal(A));
}

/* The pressure part of the momentum flux, K A sqrt(A) / (3 rho). */
static inline PetscReal HavocTubePressureFluxS(const HavocTube *t, PetscReal rho, PetscReal A, PetscReal sqrtA)
{
  return t->K * A * sqrtA / (3 * rho);
}

/* c = gamma A^{1/4}: the junction and boundary solvers work in s = A^{1/4}, where the Riemann
   invariants are linear. */
static inline PetscReal HavocTubeGamma(const HavocTube *t, PetscReal rho)
{
  return PetscSqrtReal(t->K / (2 * rho));
}

/* beta of a wall of Young's modulus E and thickness h. */
static inline PetscReal HavocTubeBeta(PetscReal E, PetscReal h)
{
  return 4.0 / 3.0 * PetscSqrtReal(PETSC_PI) * E * h;
}
