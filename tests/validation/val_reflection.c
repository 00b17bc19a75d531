/* Validation (2): reflection and transmission of a small pressure pulse at a bifurcation against linear
   theory: with admittances Y = A / (rho c), the pressure reflection coefficient is
   R = (Y0 - Y1 - Y2) / (Y0 + Y1 + Y2) and the transmission coefficient T = 1 + R. Pulse strengths are
   measured as time integrals of the pressure perturbation, which a conservative scheme preserves. */
#include "valtest.h"

static const char mesh[] = "format: havoc-network 1\n"
                           "defaults: {E: 400 kPa, zeta: 2}\n"
                           "nodes:\n"
                           "  - {id: 1, x: 0, y: 0, z: 0}\n"
                           "  - {id: 2, x: 1000, y: 0, z: 0}\n"
                           "  - {id: 3, x: 2000, y: 300, z: 0}\n"
                           "  - {id: 4, x: 2000, y: -300, z: 0}\n"
                           "inlets: [{node: 1}]\n"
                           "vessels:\n"
                           "  - {name: parent, from: 1, to: 2, length: 1000 mm, radius: 5 mm, h: 0.5 mm}\n"
                           "  - {name: daughter1, from: 2, to: 3, length: 1000 mm, radius: 3 mm, h: 0.3 mm, outlet: {model: reflection, Rt: 0}}\n"
                           "  - {name: daughter2, from: 4, to: 2, length: 1000 mm, radius: 2.5 mm, h: 0.25 mm, outlet: {model: reflection, Rt: 0}}\n";

static PetscErrorCode Body(void)
{
  ValRun    r;
  PetscReal Y[3], c[3], Ysum = 0, Rth, Tth, inc, tci, ref, tcr, tr[2], tct;

  PetscFunctionBeginUser;
  PetscCall(ValRunCreate("bifurcation (inline)", mesh,
                         "blood: {viscosity: 0}\n"
                         "inlet: {type: pulse, amplitude: 0.01 mL/s, pulse_time: 30 ms, pulse_width: 5 ms}\n"
                         "hemo: {t_end: 0.45 s}\n"
                         "network: {dx: 1 mm}\n"
                         "output: {probe_dt: 0.1 ms, probe_fractions: [0.5]}\n",
                         &r));
  PetscCall(ValRunSolve(&r));
  for (int k = 0; k < 3; k++) {
    const HavocMeshVessel *v = &r.mesh->vessels[k];
    const PetscReal        A = PETSC_PI * v->r_prox * v->r_prox;
    c[k]                     = PetscSqrtReal(v->beta / (2 * 1060 * PetscSqrtReal(A)));
    Y[k]                     = A / (1060 * c[k]);
    if (k) Ysum += Y[k];
  }
  Rth = (Y[0] - Ysum) / (Y[0] + Ysum);
  Tth = 1 + Rth;
  {
    const char      *names[3] = {"parent", "daughter1", "daughter2"};
    PetscInt         n;
    const PetscReal *t;
    PetscReal       *p, *q, *a;
    const PetscReal  t_inc = 0.03 + 0.5 / c[0], t_ref = 0.03 + 1.5 / c[0];
    PetscCall(ValRunSeries(&r, names[0], 0, &n, &t, &p, &q, &a));
    ValPulse(n, t, p, 0, t_inc - 0.04, t_inc + 0.04, &inc, &tci);
    ValPulse(n, t, p, 0, t_ref - 0.04, t_ref + 0.04, &ref, &tcr);
    PetscCall(PetscFree3(p, q, a));
    for (int k = 1; k < 3; k++) {
      const PetscReal te = 0.03 + 1.0 / c[0] + 0.5 / c[k];
      PetscCall(ValRunSeries(&r, names[k], 0, &n, &t, &p, &q, &a));
      ValPulse(n, t, p, 0, te - 0.04, te + 0.04, &tr[k - 1], &tct);
      PetscCall(PetscFree3(p, q, a));
    }
  }
  {
    const PetscReal R = ref / inc, e = PetscAbsReal(R - Rth) / PetscAbsReal(Rth);
    ValCheck((PetscBool)(e <= 0.02), "reflection coefficient", "R = %.5f, linear theory %.5f, error %.3f %% (bound 2 %%)", (double)R, (double)Rth, 100 * (double)e);
  }
  for (int k = 0; k < 2; k++) {
    const PetscReal T = tr[k] / inc, e = PetscAbsReal(T - Tth) / Tth;
    char            what[64];
    PetscCall(PetscSNPrintf(what, sizeof(what), "transmission coefficient into daughter %d", k + 1));
    ValCheck((PetscBool)(e <= 0.02), what, "T = %.5f, linear theory %.5f, error %.3f %% (bound 2 %%)", (double)T, (double)Tth, 100 * (double)e);
  }
  PetscCall(ValRunDestroy(&r));
  PetscFunctionReturn(0);
}

VAL_MAIN("validation: reflection and transmission at a bifurcation", Body)
