/* Validation (7): the Kelvin-Voigt wall against linear theory. With p = p_e(A) + Gamma / (A0 sqrt(A0))
   dA/dt the linearized equations give A_tt = c0^2 A_xx + nu A_xxt, nu = Gamma / (rho sqrt(A0)): a
   standing wave of wavenumber k decays as exp(-nu k^2 t / 2). A closed vessel (no inflow at x = 0, a
   closed end at x = L) starts with p = p0 + eps cos(pi x / L); the decay rate of its pressure at x = 0
   is measured with and without wall viscosity, and their difference, the part due to the wall, is
   compared with nu k^2 / 2. */
#include "valtest.h"

static const char mesh_fmt[] = "format: havoc-network 1\n"
                               "nodes: [{id: 1, x: 0, y: 0, z: 0}, {id: 2, x: 500, y: 0, z: 0}]\n"
                               "inlets: [{node: 1}]\n"
                               "vessels:\n"
                               "  - {name: tube, from: 1, to: 2, length: 500 mm, radius: 5 mm, E: 400 kPa, h: 0.5 mm, wall_viscosity: %g Pa s, outlet: {model: reflection, Rt: 1}}\n";

static void Standing(const HavocMeshVessel *v, PetscReal x, PetscReal *A, PetscReal *Q, void *ctx)
{
  const PetscReal eps = 10, p = eps * PetscCosReal(PETSC_PI * x / v->length), A0 = PETSC_PI * v->r_prox * v->r_prox;
  const PetscReal s = PetscSqrtReal(A0) + p * A0 / v->beta;
  *A                = s * s;
  *Q                = 0;
}

/* Decay rate from the peaks of |p(0, t)|: a least-squares line through log(peak) against time. */
static PetscErrorCode DecayRate(PetscReal phi, PetscReal *rate, PetscReal *nu_k2_2)
{
  ValRun           r;
  char             mesh[1024];
  PetscInt         n, np = 0;
  const PetscReal *t;
  PetscReal       *p, *q, *a, sx = 0, sy = 0, sxx = 0, sxy = 0;

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(mesh, sizeof(mesh), mesh_fmt, (double)phi));
  PetscCall(ValRunCreate("closed tube (inline)", mesh,
                         "blood: {viscosity: 0}\n"
                         "inlet: {type: constant, value: 0}\n"
                         "hemo: {t_end: 1 s}\n"
                         "network: {dx: 1 mm}\n"
                         "output: {probe_dt: 0.2 ms, probe_fractions: [0]}\n",
                         &r));
  PetscCall(HemoSetState(r.hemo, Standing, NULL));
  PetscCall(ValRunSolve(&r));
  PetscCall(ValRunSeries(&r, "tube", 0, &n, &t, &p, &q, &a));
  for (PetscInt i = 1; i + 1 < n; i++)
    if (p[i] > p[i - 1] && p[i] >= p[i + 1] && p[i] > 0) { /* a crest */
      const PetscReal y = PetscLogReal(p[i]);
      sx += t[i];
      sy += y;
      sxx += t[i] * t[i];
      sxy += t[i] * y;
      np++;
    }
  *rate = -(np * sxy - sx * sy) / (np * sxx - sx * sx);
  {
    const HavocMeshVessel *v  = &r.mesh->vessels[0];
    const PetscReal        A0 = PETSC_PI * v->r_prox * v->r_prox, k = PETSC_PI / v->length;
    *nu_k2_2 = v->gamma_visc / (1060 * PetscSqrtReal(A0)) * k * k / 2;
  }
  PetscCall(PetscFree3(p, q, a));
  PetscCall(ValRunDestroy(&r));
  PetscFunctionReturn(0);
}

static PetscErrorCode Body(void)
{
  PetscReal r0, rv, theory, dummy, e;

  PetscFunctionBeginUser;
  PetscCall(DecayRate(0, &r0, &dummy));
  PetscCall(DecayRate(2000, &rv, &theory));
  e = PetscAbsReal((rv - r0) - theory) / theory;
  printf("    decay rate of the standing wave: %.5f 1/s with the viscous wall, %.5f 1/s without (numerical)\n", (double)rv, (double)r0);
  ValCheck((PetscBool)(e <= 0.02), "viscoelastic damping vs nu k^2 / 2", "%.5f 1/s, linear theory %.5f 1/s, error %.2f %% (bound 2 %%)", (double)(rv - r0), (double)theory, 100 * (double)e);
  PetscFunctionReturn(0);
}

VAL_MAIN("validation: damping of a standing wave by a viscoelastic wall", Body)
