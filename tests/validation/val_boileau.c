/* Validation (5): the common carotid and upper thoracic aorta of the Boileau et al. (2015) benchmark
   against the 3D solutions of Xiao et al. (2014), with the benchmark's error metrics on the periodic
   cycle at the vessel midpoint:
     E_P,rms = sqrt(mean(((P - P_ref) / P_ref)^2)),   E_P,max = max |P - P_ref| / P_ref,
     E_Q,rms = sqrt(mean(((Q - Q_ref) / max|Q_ref|)^2)), E_Q,max = max |Q - Q_ref| / max|Q_ref|.
   The velocity-profile exponent of each case is uncertain, so both zeta = 2 and zeta = 9 are reported;
   the bounds apply to the one each case is known to match best (carotid: 2, aorta: 9). The published 1D
   finite-volume scheme reached 0.19 / 0.46 / 0.59 / 2.09 % (carotid) and 1.25 / 3.09 / 1.72 / 5.62 %
   (aorta). */
#include "valtest.h"

#include "waveform.h"

typedef struct {
  const char *name, *mesh, *inflow, *reference, *vessel;
  PetscReal   p0, shift, bound_p, bound_q;
  PetscReal   published[4];
  PetscReal   zeta_bound; /* the exponent the bounds apply to */
} Case;

static PetscErrorCode Compare(const Case *c, PetscReal zeta)
{
  ValRun           r;
  char             options[1024], what[128];
  PetscInt         n, nref, spc, c0;
  const PetscReal *t;
  PetscReal       *p, *q, *a, *ref, T, sp = 0, mp = 0, sq = 0, mq = 0, qmax = 0;
  PetscInt         cycles;
  PetscBool        reached;

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(options, sizeof(options),
                          "inlet: {type: table, table: %s}\n"
                          "hemo: {p0: %g, cycles: 30, periodic_tol: 0.01 Pa, zeta: %g}\n"
                          "network: {dx: 1 mm}\n"
                          "output: {probe_dt: 1 ms, probe_fractions: [0.5]}\n",
                          c->inflow, (double)c->p0, (double)zeta));
  PetscCall(ValRunCreate(c->mesh, NULL, options, &r));
  PetscCall(ValRunSolve(&r));
  PetscCall(HemoProbesGetPeriodic(r.probes, &cycles, &reached, NULL));
  PetscCall(ValRunSeries(&r, c->vessel, 0, &n, &t, &p, &q, &a));
  T   = r.hemo->inlet->period;
  spc = (PetscInt)PetscFloorReal(T / (t[1] - t[0]) + 0.5);
  c0  = (n / spc - 1) * spc; /* first sample of the last complete cycle */
  PetscCall(HavocTableRead(PETSC_COMM_WORLD, c->reference, 5, &nref, &ref));
  for (PetscInt i = 0; i < nref; i++)
    qmax = PetscMax(qmax, PetscAbsReal(ref[5 * i + 2] * 1e-6));
  for (PetscInt i = 0; i < nref; i++) {
    /* the model at the reference time, periodic, linear between samples */
    const PetscReal tt = PetscFmodReal(ref[5 * i] + c->shift, T) / (t[1] - t[0]);
    const PetscInt  j = (PetscInt)PetscFloorReal(tt), j0 = c0 + j % spc, j1 = c0 + (j + 1) % spc;
    const PetscReal w = tt - j, P = (1 - w) * p[j0] + w * p[j1], Q = (1 - w) * q[j0] + w * q[j1];
    const PetscReal Pr = ref[5 * i + 1] * 1e3, Qr = ref[5 * i + 2] * 1e-6;
    const PetscReal ep = (P - Pr) / Pr, eq = (Q - Qr) / qmax;
    sp += ep * ep;
    sq += eq * eq;
    mp = ValMax(mp, PetscAbsReal(ep));
    mq = ValMax(mq, PetscAbsReal(eq));
  }
  sp = PetscSqrtReal(sp / nref);
  sq = PetscSqrtReal(sq / nref);
  printf("  %s, zeta = %g: %" PetscInt_FMT " cycles (%s), E_P,rms %.3f %%  E_P,max %.3f %%  E_Q,rms %.3f %%  E_Q,max %.3f %%   (published 1D FV: %.2f / %.2f / %.2f / %.2f %%)\n", c->name, (double)zeta, cycles, reached ? "periodic" : "NOT periodic", 100 * (double)sp, 100 * (double)mp, 100 * (double)sq, 100 * (double)mq, (double)c->published[0], (double)c->published[1], (double)c->published[2], (double)c->published[3]);
  if (zeta == c->zeta_bound) {
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s pressure vs 3D (zeta %d)", c->name, (int)zeta));
    ValCheck((PetscBool)(reached && sp <= c->bound_p), what, "E_P,rms = %.3f %% (bound %.1f %%)", 100 * (double)sp, 100 * (double)c->bound_p);
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s flow vs 3D (zeta %d)", c->name, (int)zeta));
    ValCheck((PetscBool)(reached && sq <= c->bound_q), what, "E_Q,rms = %.3f %% (bound %.1f %%)", 100 * (double)sq, 100 * (double)c->bound_q);
    /* at least as close to the 3D solution as the published 1D finite-volume scheme (to its 2 decimals) */
    PetscCall(PetscSNPrintf(what, sizeof(what), "%s vs the published 1D FV scheme", c->name));
    ValCheck((PetscBool)(100 * sp < c->published[0] + 0.005 && 100 * sq < c->published[2] + 0.005), what, "E_P,rms %.3f %% (published %.2f %%), E_Q,rms %.3f %% (published %.2f %%)", 100 * (double)sp, (double)c->published[0], 100 * (double)sq, (double)c->published[2]);
  }
  PetscCall(PetscFree(ref));
  PetscCall(PetscFree3(p, q, a));
  PetscCall(ValRunDestroy(&r));
  PetscFunctionReturn(0);
}

static PetscErrorCode Body(void)
{
  const Case cases[2] = {
    {"carotid", "meshes/benchmarks/boileau-cca.yaml", "meshes/benchmarks/boileau2015/cca-inflow.dat", "tests/validation/data/boileau2015/cca-3d-midpoint.txt", "common_carotid", 10.9e3, 0.058, 0.005, 0.015, {0.19, 0.46, 0.59, 2.09}, 2},
    {"thoracic aorta", "meshes/benchmarks/boileau-uta.yaml", "meshes/benchmarks/boileau2015/uta-inflow.dat", "tests/validation/data/boileau2015/uta-3d-midpoint.txt", "thoracic_aorta", 9.5e3, 0, 0.02, 0.03, {1.25, 3.09, 1.72, 5.62}, 9},
  };

  PetscFunctionBeginUser;
  for (int k = 0; k < 2; k++) {
    PetscCall(Compare(&cases[k], 2));
    PetscCall(Compare(&cases[k], 9));
  }
  PetscFunctionReturn(0);
}

VAL_MAIN("validation: Boileau et al. 2015 benchmark against the 3D solutions of Xiao et al. 2014", Body)
