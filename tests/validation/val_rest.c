/* Validation (6): a network at rest stays at rest, lying and standing. Strongly tapered vessels with
   different walls, reference pressures and external pressures meet at a junction; the inlet carries no
   flow, one wall is viscoelastic. Lying (supine, the network in the horizontal plane) the outlets drain to
   the pressure the network starts at; standing (upright, the network hanging 140 mm) they drain to the
   hydrostatic pressure of their height, and the pressure along every vessel must be p0 - rho g y exactly
   (docs/model.md "Gravity and posture"). Any imbalance between the pressure gradient, the taper and
   gravity would set the blood moving; the hydrostatic reconstruction keeps it exactly still, up to
   round-off. */
#include "valtest.h"

#define RHO 1060.0
#define G   9.80665

static PetscErrorCode Rest(const char posture[], PetscReal g)
{
  ValRun          r;
  const char     *names[3] = {"trunk", "left", "right"};
  const PetscReal p0 = 12e3, y[3][2] = {{0, -0.080}, {-0.140, -0.080}, {-0.080, -0.140}}, frac[5] = {0, 0.3, 0.5, 0.9, 1};
  const PetscReal p_out = p0 + RHO * g * 0.140; /* both outlets at y = -140 mm */
  PetscReal       umax = 0, dpmax = 0;
  char            mesh[2048], options[512], what[128];

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(mesh, sizeof(mesh),
                          "format: havoc-network 1\n"
                          "nodes:\n"
                          "  - {id: 1, x: 0, y: 0, z: 0}\n"
                          "  - {id: 2, x: 0, y: -80, z: 0}\n"
                          "  - {id: 3, x: -30, y: -140, z: 0}\n"
                          "  - {id: 4, x: 30, y: -140, z: 0}\n"
                          "inlets: [{node: 1}]\n"
                          "vessels:\n"
                          "  - {name: trunk, from: 1, to: 2, length: 80 mm, radius_prox: 3 mm, radius_dist: 1.5 mm, E: 700 kPa, h: 0.3 mm, reference_pressure: 10 kPa, wall_viscosity: 2 kPa s}\n"
                          "  - {name: left, from: 3, to: 2, length: 60 mm, radius_prox: 0.6 mm, radius_dist: 1.4 mm, E: 1.2 MPa, h: 0.1 mm, external_pressure: 1 kPa, outlet: {model: wk3, R1: 1e9, R2: 8e9, C: 2e-11, p_out: %.17g Pa}}\n"
                          "  - {name: right, from: 2, to: 4, length: 60 mm, radius_prox: 1.2 mm, radius_dist: 0.8 mm, E: 500 kPa, h: 0.15 mm, outlet: {model: resistance, R: 5e9, p_out: %.17g Pa}}\n",
                          (double)p_out, (double)p_out));
  PetscCall(PetscSNPrintf(options, sizeof(options),
                          "patient: {posture: %s}\n"
                          "inlet: {type: constant, value: 0}\n"
                          "hemo: {p0: 12 kPa, t_end: 2 s}\n"
                          "network: {dx: 0.5 mm}\n"
                          "output: {probe_dt: 1 ms, probe_fractions: [0, 0.3, 0.5, 0.9, 1]}\n",
                          posture));
  PetscCall(ValRunCreate("tapered network (inline)", mesh, options, &r));
  PetscCall(ValRunSolve(&r));
  for (int k = 0; k < 3; k++)
    for (PetscInt f = 0; f < 5; f++) {
      PetscInt         n;
      const PetscReal *t;
      PetscReal       *p, *q, *a;
      const PetscReal  yf = y[k][0] + frac[f] * (y[k][1] - y[k][0]), ph = p0 - RHO * g * yf;
      PetscCall(ValRunSeries(&r, names[k], f, &n, &t, &p, &q, &a));
      for (PetscInt i = 0; i < n; i++) {
        umax  = ValMax(umax, PetscAbsReal(q[i] / a[i]));
        dpmax = ValMax(dpmax, PetscAbsReal(p[i] - ph));
      }
      PetscCall(PetscFree3(p, q, a));
    }
  PetscCall(PetscSNPrintf(what, sizeof(what), "%s: velocity at rest", posture));
  ValCheck((PetscBool)(umax <= 1e-12), what, "max |u| = %.2e m/s over 2 s, %" PetscInt_FMT " steps (bound 1e-12 m/s)", (double)umax, r.hemo->step);
  PetscCall(PetscSNPrintf(what, sizeof(what), g > 0 ? "%s: pressure against p0 - rho g y" : "%s: pressure against p0", posture));
  ValCheck((PetscBool)(dpmax <= 1e-8), what, "max |p - p_rest| = %.2e Pa, over a head of %.1f Pa (bound 1e-8 Pa)", (double)dpmax, (double)(RHO * g * 0.140));
  PetscCall(ValRunDestroy(&r));
  PetscFunctionReturn(0);
}

static PetscErrorCode Body(void)
{
  PetscFunctionBeginUser;
  PetscCall(Rest("supine", 0)); /* the network lies in the horizontal plane z = 0 */
  PetscCall(Rest("upright", G));
  PetscFunctionReturn(0);
}

VAL_MAIN("validation: a tapered network at rest stays at rest", Body)
