/* Validation (6): a network at rest stays at rest. Strongly tapered vessels with different walls,
   reference pressures and external pressures meet at a junction; the outlets drain to the pressure the
   network starts at, the inlet carries no flow, one wall is viscoelastic. Any imbalance between the
   pressure gradient and the taper would set the blood moving; the hydrostatic reconstruction keeps it
   exactly still, up to round-off. */
#include "valtest.h"

static const char mesh[] = "format: havoc-network 1\n"
                           "nodes:\n"
                           "  - {id: 1, x: 0, y: 0, z: 0}\n"
                           "  - {id: 2, x: 0, y: -80, z: 0}\n"
                           "  - {id: 3, x: -30, y: -140, z: 0}\n"
                           "  - {id: 4, x: 30, y: -140, z: 0}\n"
                           "inlets: [{node: 1}]\n"
                           "vessels:\n"
                           "  - {name: trunk, from: 1, to: 2, length: 80 mm, radius_prox: 3 mm, radius_dist: 1.5 mm, E: 700 kPa, h: 0.3 mm, reference_pressure: 10 kPa, wall_viscosity: 2 kPa s}\n"
                           "  - {name: left, from: 3, to: 2, length: 60 mm, radius_prox: 0.6 mm, radius_dist: 1.4 mm, E: 1.2 MPa, h: 0.1 mm, external_pressure: 1 kPa, outlet: {model: wk3, R1: 1e9, R2: 8e9, C: 2e-11, p_out: 12 kPa}}\n"
                           "  - {name: right, from: 2, to: 4, length: 50 mm, radius_prox: 1.2 mm, radius_dist: 0.8 mm, E: 500 kPa, h: 0.15 mm, outlet: {model: resistance, R: 5e9, p_out: 12 kPa}}\n";

static PetscErrorCode Body(void)
{
  ValRun          r;
  const char     *names[3] = {"trunk", "left", "right"};
  const PetscReal p0       = 12e3;
  PetscReal       umax = 0, dpmax = 0;

  PetscFunctionBeginUser;
  PetscCall(ValRunCreate("tapered network (inline)", mesh,
                         "inlet: {type: constant, value: 0}\n"
                         "hemo: {p0: 12 kPa, t_end: 2 s}\n"
                         "network: {dx: 0.5 mm}\n"
                         "output: {probe_dt: 1 ms, probe_fractions: [0, 0.3, 0.5, 0.9, 1]}\n",
                         &r));
  PetscCall(ValRunSolve(&r));
  for (int k = 0; k < 3; k++)
    for (PetscInt f = 0; f < 5; f++) {
      PetscInt         n;
      const PetscReal *t;
      PetscReal       *p, *q, *a;
      PetscCall(ValRunSeries(&r, names[k], f, &n, &t, &p, &q, &a));
      for (PetscInt i = 0; i < n; i++) {
        umax  = ValMax(umax, PetscAbsReal(q[i] / a[i]));
        dpmax = ValMax(dpmax, PetscAbsReal(p[i] - p0));
      }
      PetscCall(PetscFree3(p, q, a));
    }
  ValCheck((PetscBool)(umax <= 1e-12), "velocity of a tapered network at rest", "max |u| = %.2e m/s over 2 s, %" PetscInt_FMT " steps (bound 1e-12 m/s)", (double)umax, r.hemo->step);
  ValCheck((PetscBool)(dpmax <= 1e-8), "pressure of a tapered network at rest", "max |p - p0| = %.2e Pa (bound 1e-8 Pa)", (double)dpmax);
  PetscCall(ValRunDestroy(&r));
  PetscFunctionReturn(0);
}

VAL_MAIN("validation: a tapered network at rest stays at rest", Body)
