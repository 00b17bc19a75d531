/* Validation (1): the speed of a small pulse in a long uniform vessel against linear theory,
   c0 = sqrt(A0/rho dp/dA), and its pressure against the water-hammer relation dp = rho c0 / A0 dQ. */
#include "valtest.h"

static PetscErrorCode Body(void)
{
  ValRun           r;
  PetscInt         n;
  const PetscReal *t;
  PetscReal       *p[2], *q[2], *a[2], area[2], tc[2], qarea, qc;
  const PetscReal  rho = 1060, L = 1.0, x[2] = {0.25, 0.75};

  PetscFunctionBeginUser;
  PetscCall(ValRunCreate("meshes/benchmarks/single-vessel.yaml", NULL,
                         "blood: {viscosity: 0}\n"
                         "inlet: {type: pulse, amplitude: 0.01 mL/s, pulse_time: 30 ms, pulse_width: 5 ms}\n"
                         "hemo: {t_end: 0.3 s}\n"
                         "network: {dx: 1 mm}\n"
                         "output: {probe_dt: 0.1 ms, probe_fractions: [0, 0.25, 0.75]}\n",
                         &r));
  PetscCall(ValRunSolve(&r));
  {
    const HavocMeshVessel *v  = &r.mesh->vessels[0];
    const PetscReal        A0 = PETSC_PI * v->r_prox * v->r_prox, K = v->beta / A0;
    const PetscReal        c0 = PetscSqrtReal(A0 / rho * K / (2 * PetscSqrtReal(A0)));
    PetscReal              cnum, err, Z = rho * c0 / A0;
    for (int k = 0; k < 2; k++) {
      const PetscReal te = 0.03 + x[k] * L / c0;
      PetscCall(ValRunSeries(&r, "vessel", k + 1, &n, &t, &p[k], &q[k], &a[k]));
      ValPulse(n, t, p[k], 0, te - 0.04, te + 0.04, &area[k], &tc[k]);
    }
    cnum = (x[1] - x[0]) * L / (tc[1] - tc[0]);
    err  = PetscAbsReal(cnum - c0) / c0;
    ValCheck((PetscBool)(err <= 0.01), "wave speed vs sqrt(A/rho dp/dA)", "c = %.5f m/s, theory %.5f m/s, error %.3f %% (bound 1 %%)", (double)cnum, (double)c0, 100 * (double)err);
    ValPulse(n, t, q[0], 0, 0, 0.3, &qarea, &qc);
    err = PetscAbsReal(area[0] - Z * qarea) / (Z * qarea);
    ValCheck((PetscBool)(err <= 0.01), "pressure pulse vs rho c0 / A0 x flow pulse", "int dp dt = %.6g Pa s, theory %.6g Pa s, error %.3f %% (bound 1 %%)", (double)area[0], (double)(Z * qarea), 100 * (double)err);
    for (int k = 0; k < 2; k++)
      PetscCall(PetscFree3(p[k], q[k], a[k]));
  }
  PetscCall(ValRunDestroy(&r));
  PetscFunctionReturn(0);
}

VAL_MAIN("validation: linear wave speed in a uniform vessel", Body)
