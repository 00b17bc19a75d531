/* Validation (11): flow against gravity. The solvers carry the head p + rho phi (docs/model.md "Gravity
   and posture"); val_rest checks hydrostatics at rest. Here blood flows up an inclined tube, upright, from
   a pressure inlet to a resistance: the rigid steady solver against Poiseuille with the hydrostatic head,
   Q = (p_in - p_out - rho g dy) / (R_tube + R_out); the pulsatile solver, run to its steady state, against
   the steady solver with the compliant lumen. The flow without gravity differs by 9 %, so neither check
   can pass by ignoring it. */
#include "valtest.h"
#include "steady.h"

#define RHO 1060.0
#define G   9.80665

static const char incline[] = "format: havoc-network 1\n"
                              "nodes:\n"
                              "  - {id: 1, x: 0, y: 0, z: 0}\n"
                              "  - {id: 2, x: 0, y: 100, z: 0}\n"
                              "inlets: [{node: 1}]\n"
                              "vessels:\n"
                              "  - {name: tube, from: 1, to: 2, length: 100 mm, radius: 1 mm, E: 10 MPa, h: 0.1 mm, zeta: 2, outlet: {model: resistance, R: 1e10, p_out: 0}}\n";

static PetscErrorCode Incline(void)
{
  ValRun           r;
  Steady           s;
  const PetscReal  p_in = 12e3, R_out = 1e10, mu = 4e-3, L = 0.1, rad = 1e-3, dy = 0.1;
  const PetscReal  R_tube = 8 * mu * L / (PETSC_PI * rad * rad * rad * rad), Q_exact = (p_in - RHO * G * dy) / (R_tube + R_out), Q_flat = p_in / (R_tube + R_out);
  const PetscReal *Qs;
  PetscInt         n;
  const PetscReal *t;
  PetscReal       *p, *q, *a, err_rigid, err_pulsatile;

  PetscFunctionBeginUser;
  PetscCall(ValRunCreate("inclined tube (inline)", incline,
                         "patient: {posture: upright}\n"
                         "blood: {viscosity: 4 mPa s}\n"
                         "inlet: {quantity: pressure, type: constant, value: 12 kPa, ramp: 0.05 s}\n"
                         "hemo: {p0: 0 Pa, t_end: 3 s}\n"
                         "network: {dx: 1 mm}\n"
                         "output: {probe_dt: 1 ms, probe_fractions: [0, 0.5, 1]}\n",
                         &r));
  PetscCall(ValRunSolve(&r));
  PetscCall(ValRunSeries(&r, "tube", 1, &n, &t, &p, &q, &a));

  PetscCall(SteadyCreate(r.hemo->net, &s));
  PetscCall(SteadySetBlood(s, r.hemo->rho, r.hemo->mu, r.hemo->zeta));
  PetscCall(SteadySetInlet(s, PETSC_TRUE, p_in));
  PetscCall(SteadySetCompliant(s, PETSC_FALSE));
  PetscCall(SteadySolve(s));
  PetscCall(SteadyGetSolution(s, &Qs, NULL, NULL));
  err_rigid = PetscAbsReal(Qs[0] - Q_exact) / Q_exact;
  ValCheck((PetscBool)(err_rigid <= 1e-12), "steady, rigid: flow up a 100 mm rise", "Q %.9e m^3/s, Poiseuille with the head %.9e: rel. error %.1e (bound 1e-12; %.1f %% without gravity)", (double)Qs[0], (double)Q_exact, (double)err_rigid, 100 * (double)((Q_flat - Q_exact) / Q_exact));
  PetscCall(SteadySetCompliant(s, PETSC_TRUE));
  PetscCall(SteadySolve(s));
  PetscCall(SteadyGetSolution(s, &Qs, NULL, NULL));
  err_pulsatile = PetscAbsReal(q[n - 1] - Qs[0]) / Qs[0];
  ValCheck((PetscBool)(err_pulsatile <= 1e-3), "pulsatile at t = 3 s vs steady (compliant)", "Q %.6e vs %.6e m^3/s: rel. difference %.1e (bound 1e-3)", (double)q[n - 1], (double)Qs[0], (double)err_pulsatile);
  PetscCall(PetscFree3(p, q, a));
  PetscCall(SteadyDestroy(&s));
  PetscCall(ValRunDestroy(&r));
  PetscFunctionReturn(0);
}

static PetscErrorCode Body(void)
{
  PetscFunctionBeginUser;
  PetscCall(Incline());
  PetscFunctionReturn(0);
}

VAL_MAIN("validation: flow up an incline against gravity", Body)
