/* The finite-volume kernel of the pulsatile solver, one vessel at a time.

   Scheme (docs/model.md, "Numerics"): MUSCL-Hancock in (A, Q) with the slopes limited on the pressure and
   the flow, a hydrostatic reconstruction at every face so that a vessel at rest stays at rest whatever its
   taper (Audusse et al. 2004, applied to the tube law), a Riemann flux chosen by name (HLL or Rusanov),
   and friction treated point-implicitly. Tube-law parameters are constant within a cell and given at
   every face; the boundary faces take the states computed by the junction and boundary solvers.

   A step of a vessel has two halves separated by the exchange of end states between ranks:
     HavocKernelPredict  the half-step states of every face (kept with the vessel) and the outgoing
                         invariants W at its two ends
     (sweep)             with the boundary states: all fluxes, the update and the friction. */
#pragma once

#include "tubelaw.h"

typedef enum {
  HAVOC_LIMITER_MINMOD,
  HAVOC_LIMITER_MC,
  HAVOC_LIMITER_VANLEER,
  HAVOC_LIMITER_SUPERBEE,
  HAVOC_LIMITER_NONE /* first order in space */
} HavocLimiter;
PETSC_EXTERN const char *const HavocLimiters[];

/* A face state at the half step, in the tube law of the cell it was predicted in. */
typedef struct {
  PetscReal p;  /* pressure [Pa] */
  PetscReal u;  /* velocity [m/s] */
  PetscReal A;  /* area [m^2] */
  PetscReal Pf; /* pressure flux K A^{3/2} / (3 rho) in the cell's law [m^4 s^-2] */
} HavocFaceState;

/* The half-step states on both sides of every face of a vessel, faces 0..M, as arrays: L is the state
   from the cell on the left (x-), R from the cell on the right (x+). */
typedef struct {
  PetscReal *pL, *uL, *AL, *FL, *pR, *uR, *AR, *FR;
} HavocFaces;

#define HAVOC_FACE_ARRAYS 8

/* One vessel: geometry, tube law per cell and per face, state. Plain arrays, no network. */
typedef struct {
  PetscInt         M;                      /* cells */
  PetscReal        dx;                     /* [m] */
  PetscReal        KR;                     /* friction coefficient 2 (zeta + 2) pi mu / rho [m^2 s^-1] */
  const PetscReal *K, *invK, *sqrtAr, *pr; /* cells [M] */
  /* faces [M + 1], face j at x = j dx: K, sqrt(A_r), p_ext + p_r, 1/K, gamma = sqrt(K/(2 rho)), K/(3 rho) */
  const PetscReal *Kf, *sqrtArf, *prf, *invKf, *gf, *Kf3;
  PetscReal       *A, *Q; /* state [M] */
  /* Boundary pressure and flow of the previous step at x = 0 and x = L: ghost values for the slopes. */
  PetscReal pb[2], qb[2];
  /* Half-step face states from HavocKernelPredict, used by the sweep: HAVOC_FACE_ARRAYS arrays of M + 1
     owned by the caller. */
  HavocFaces f;
  /* Gel at the faces [M + 1] (NULL: none): the stiff drag rate sigma [s^-1] of the gel on either side.
     The sweep's mass flux through such a face is that of the drag-dominated limit (see HavocGelFaces). */
  const PetscReal *gel_sigma;
} HavocVessel;

/* Settings and scratch shared by all vessels of a rank. */
typedef struct {
  PetscReal    rho;
  HavocLimiter limiter;
  PetscInt     mmax; /* largest M the scratch holds */
  PetscReal   *work; /* scratch, HAVOC_KERNEL_NWORK arrays of mmax + 2 */
} HavocKernel;

#define HAVOC_KERNEL_NWORK 6

/* Result of a sweep: the largest signal speed over dx seen, for the next CFL step, and the first cell
   whose new state is not physical (-1 if none). */
typedef struct {
  PetscReal speed_dx;
  PetscInt  bad_cell;
} HavocSweepResult;

/* The full update of one vessel given the boundary states (A, Q) at x = 0 and x = L (in the face laws). */
typedef HavocSweepResult (*HavocSweepFn)(const HavocKernel *k, HavocVessel *v, PetscReal dt, const PetscReal Ab[2], const PetscReal Qb[2]);

PETSC_EXTERN PetscErrorCode HavocKernelCreate(PetscReal rho, HavocLimiter limiter, PetscInt mmax, HavocKernel *k);
PETSC_EXTERN PetscErrorCode HavocKernelDestroy(HavocKernel *k);

/* Half-step states of every face (into v->f) and the outgoing invariants W[0] = u - 4c at x = 0 and
   W[1] = u + 4c at x = L, in the face laws. */
PETSC_EXTERN void HavocKernelPredict(const HavocKernel *k, HavocVessel *v, PetscReal dt, PetscReal W[2]);

/* Kelvin-Voigt wall viscosity as an implicit diffusion of Q (operator split after the sweep):
   dQ/dt = (A/rho) d/dx ( Gamma / (A_r sqrt(A)) dQ/dx ), with the boundary flows Qb held. */
PETSC_EXTERN void HavocKernelViscous(const HavocKernel *k, HavocVessel *v, PetscReal gamma_visc, PetscReal dt, const PetscReal Qb[2]);

/* One face: the Riemann flux between two states already in the face's tube law (areas A, flows q,
   velocities u, wave speeds c, pressure fluxes P); the largest signal speed in *speed. */
PETSC_EXTERN void HavocRiemannHLL(PetscReal AL, PetscReal qL, PetscReal uL, PetscReal cL, PetscReal PL, PetscReal AR, PetscReal qR, PetscReal uR, PetscReal cR, PetscReal PR, PetscReal *F1, PetscReal *F2, PetscReal *speed);
PETSC_EXTERN void HavocRiemannRusanov(PetscReal AL, PetscReal qL, PetscReal uL, PetscReal cL, PetscReal PL, PetscReal AR, PetscReal qR, PetscReal uR, PetscReal cR, PetscReal PR, PetscReal *F1, PetscReal *F2, PetscReal *speed);

/* Whole-vessel sweeps with each flux, registered by name (-hemo_flux). */
PETSC_EXTERN HavocSweepResult HavocSweepHLL(const HavocKernel *, HavocVessel *, PetscReal, const PetscReal[2], const PetscReal[2]);
PETSC_EXTERN HavocSweepResult HavocSweepRusanov(const HavocKernel *, HavocVessel *, PetscReal, const PetscReal[2], const PetscReal[2]);
PETSC_EXTERN PetscErrorCode   HavocFluxRegisterAll(void);
PETSC_EXTERN PetscErrorCode   HavocFluxFinalize(void);
PETSC_EXTERN PetscErrorCode   HavocFluxGetList(PetscFunctionList *list);
