/* Validation: a Bingham plug in a tube (docs/model.md "The HA bolus"). A gel plug of length l fills a
   stiff straight tube of radius r; the pressure behind it rises to p_in over 0.3 s (slowly: a pressure
   step would double on the plug) and the far end drains to 0 Pa through a small resistance.
   - Start-up: a plug needs dp_y = 2 tau_y l / r to move; at 0.99 dp_y it must stay exactly where it is, at
     1.01 dp_y it must move.
   - Flow: above the yield, the steady flow through the tube is the Bingham plug-flow law
     Q = (p_in - dp_y) / (8 mu_gel l / (pi r^4) + 8 mu_blood (L - l) / (pi r^4) + R_out), within 2 %. */
#include "bolus.h"
#include "valtest.h"

#define TAU 50.0  /* Pa */
#define R   1e-3  /* m */
#define LP  20e-3 /* plug length, m */

#define RT (8 * 1.0 * LP / (PETSC_PI * R * R * R * R) + 8 * 4e-3 * (0.1 - LP) / (PETSC_PI * R * R * R * R) + 1e8) /* Pa s m^-3 */

/* Runs the tube at p_in = ratio dp_y for 1 s: the plug's displacement, the largest |Q| in the cells under
   its starting place and the flow out of the tube at the end. */
static PetscErrorCode Plug(PetscReal ratio, PetscReal *moved, PetscReal *qmax, PetscReal *qout)
{
  ValRun           r;
  Bolus            b;
  PetscBool        active;
  const PetscReal  dpy = 2 * TAU * LP / R, zero[1] = {0};
  const HavocSlug *s;
  PetscInt         n;
  char             options[1024];

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(options, sizeof(options),
                          "inlet: {quantity: pressure, type: constant, value: %.17g Pa, ramp: 0.3 s}\n"
                          "hemo: {p0: 0 Pa, t_end: 1 s}\n"
                          "network: {dx: 1 mm}\n"
                          "bolus: {vessel: tube, volume: 1e-12, start: 1000 s, yield_stress: %g Pa, viscosity: 1 Pa s, venous_pressure: 0}\n",
                          (double)(ratio * dpy), (double)TAU));
  PetscCall(ValRunCreate("tube (inline)",
                         "format: havoc-network 1\n"
                         "nodes: [{id: 1, x: 0, y: 0, z: 0}, {id: 2, x: 100, y: 0, z: 0}]\n"
                         "inlets: [{node: 1}]\n"
                         "vessels:\n"
                         "  - {name: tube, from: 1, to: 2, length: 100 mm, radius: 1 mm, E: 1 GPa, h: 0.1 mm, outlet: {model: resistance, R: 1e8}}\n",
                         options, &r));
  PetscCall(HavocCaseLoadString(PETSC_COMM_WORLD, "bolus options", options));
  PetscCall(BolusCreate(r.hemo, &b));
  PetscCall(BolusSetFromOptions(b, &active));
  PetscCall(HavocCaseClear());
  PetscCall(BolusSetUp(b, zero, zero, zero));
  PetscCall(BolusStart(b));
  r.hemo->t_end = 1;
  PetscCall(BolusPlaceSlug(b, 0, 0.040, 0.040 + LP, PETSC_FALSE));
  PetscCall(ValRunSolve(&r));
  PetscCall(BolusGetSlugs(b, &n, &s));
  *moved = n == 1 ? PetscAbsReal(s[0].xa - 0.040) : PETSC_MAX_REAL;
  *qout  = r.hemo->ends[0][1].Q;
  *qmax  = 0;
  for (PetscInt c = 45; c < 55; c++)
    *qmax = ValMax(*qmax, PetscAbsReal(r.hemo->kv[0].Q[c]));
  PetscCall(BolusDestroy(&b));
  PetscCall(ValRunDestroy(&r));
  PetscFunctionReturn(0);
}

static PetscErrorCode Body(void)
{
  const PetscReal dpy = 2 * TAU * LP / R;
  PetscReal       moved, q, qout;

  PetscFunctionBeginUser;
  printf("  plug l = %.0f mm, r = %.0f mm, tau_y = %.0f Pa, mu_gel = 1 Pa s: dp_y = 2 tau_y l / r = %.0f Pa\n", 1e3 * LP, 1e3 * R, TAU, dpy);
  PetscCall(Plug(0.99, &moved, &q, &qout));
  ValCheck((PetscBool)(q <= 1e-15 && moved < 1e-6), "dp = 0.99 dp_y: the plug holds", "|Q| in the plug %.3g m^3/s after 1 s (<= 1e-15: at rest), displacement %.3g um (< 1 um)", (double)q, (double)(1e6 * moved));
  PetscCall(Plug(1.01, &moved, &q, &qout));
  ValCheck((PetscBool)(moved > 2e-5 && q > 1e-12), "dp = 1.01 dp_y: the plug moves", "displacement %.3g mm, |Q| in the plug %.3g m^3/s after 1 s (> 20 um, > 1e-12)", (double)(1e3 * moved), (double)q);
  for (PetscReal ratio = 1.5; ratio <= 2; ratio += 0.5) {
    const PetscReal qa = (ratio - 1) * dpy / RT;
    char            what[64];
    PetscCall(Plug(ratio, &moved, &q, &qout));
    PetscCall(PetscSNPrintf(what, sizeof(what), "dp = %.1f dp_y: Bingham flow", (double)ratio));
    ValCheck((PetscBool)(PetscAbsReal(qout / qa - 1) <= 0.02), what, "Q %.4g m^3/s vs (dp - dp_y) / R = %.4g: %+.2f %% (within 2 %%), plug moved %.2f mm", (double)qout, (double)qa, (double)(100 * (qout / qa - 1)), (double)(1e3 * moved));
  }
  PetscFunctionReturn(0);
}

VAL_MAIN("validation: Bingham plug start-up (moves iff dp > 2 tau_y l / r, +-1 %) and plug flow", Body)
