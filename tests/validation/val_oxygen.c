/* Validation: tissue oxygen (docs/model.md, "Tissue oxygen"; solver/src/oxygen.c).
   - A 1D slab (one row of the map) with linear consumption k P, no perfusion, a fixed partial pressure P0
     in its first cell and no flux at its far end: the steady profile is
     P0 cosh((L - x) / lambda) / cosh(L / lambda), lambda = sqrt(alpha D / k); within 1 %.
   - The same slab as every row of a 2D map: the rows equal the 1D solution (the 2D stencil and the no-flux
     edges), to 1e-9.
   - A uniform map under Michaelis-Menten consumption, perfusion and surface supply: every cell sits at the
     single-cell balance w (C_a - C(P)) + s (P_s - P) / H = M(P), found here by bisection, to 1e-6
     relative, at healthy skin perfusion (12.5 mL/100 g/min), half of it and none. */
#include "oxygen.h"
#include "valtest.h"

#define MMHG 133.322387415

/* The steady map of a mx by my DMDA with cells of dx [m]: column 0 fixed at P0 when fixed is set. */
static PetscErrorCode Map(PetscInt mx, PetscInt my, PetscReal dx, const OxygenParams *p, PetscBool fixed, PetscReal P0, PetscReal w, Vec *P, DM *da_out, Oxygen *o_out)
{
  DM     da;
  Oxygen o;
  Vec    kind, wv, Pfix;

  PetscFunctionBeginUser;
  PetscCall(DMDACreate2d(PETSC_COMM_WORLD, DM_BOUNDARY_NONE, DM_BOUNDARY_NONE, DMDA_STENCIL_STAR, mx, my, PETSC_DECIDE, PETSC_DECIDE, 1, 1, NULL, NULL, &da));
  PetscCall(DMSetUp(da));
  PetscCall(OxygenCreate(da, dx, dx, &o));
  PetscCall(OxygenSetParams(o, p));
  PetscCall(OxygenGetFields(o, &kind, &wv, &Pfix));
  PetscCall(VecSet(wv, w));
  if (fixed) {
    PetscScalar **k, **f;
    DMDALocalInfo info;
    PetscCall(DMDAGetLocalInfo(da, &info));
    PetscCall(DMDAVecGetArray(da, kind, &k));
    PetscCall(DMDAVecGetArray(da, Pfix, &f));
    for (PetscInt j = info.ys; j < info.ys + info.ym; j++)
      if (info.xs == 0) {
        k[j][0] = OXYGEN_FIXED;
        f[j][0] = P0;
      }
    PetscCall(DMDAVecRestoreArray(da, kind, &k));
    PetscCall(DMDAVecRestoreArray(da, Pfix, &f));
  }
  PetscCall(DMCreateGlobalVector(da, P));
  PetscCall(VecSet(*P, P0));
  PetscCall(OxygenSolve(o, *P));
  *da_out = da;
  *o_out  = o;
  PetscFunctionReturn(0);
}

/* Largest |P(i, j) - f(i)| over the map, relative to scale. */
static PetscErrorCode CompareRows(DM da, Vec P, PetscInt n, const PetscReal f[], PetscReal scale, PetscReal *err)
{
  const PetscScalar **a;
  DMDALocalInfo       info;

  PetscFunctionBeginUser;
  PetscCall(DMDAGetLocalInfo(da, &info));
  PetscCall(DMDAVecGetArrayRead(da, P, &a));
  *err = 0;
  for (PetscInt j = info.ys; j < info.ys + info.ym; j++)
    for (PetscInt i = info.xs; i < info.xs + info.xm && i < n; i++)
      *err = ValMax(*err, PetscAbsReal(a[j][i] - f[i]) / scale);
  PetscCall(DMDAVecRestoreArrayRead(da, P, &a));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, err, 1, MPIU_REAL, MPIU_MAX, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

/* The single-cell balance by bisection on [0, P_a]. */
static PetscReal Balance(const OxygenParams *p, PetscReal w)
{
  PetscReal lo = 0, hi = p->P_a;
  for (int it = 0; it < 200; it++) {
    const PetscReal P = 0.5 * (lo + hi), g = w * (OxygenBloodContent(p, p->P_a) - OxygenBloodContent(p, P)) + p->s_cond / p->H * (p->P_s - P) - p->M0 * P / (P + p->Pm);
    if (g > 0) lo = P;
    else hi = P;
  }
  return 0.5 * (lo + hi);
}

static PetscErrorCode Body(void)
{
  OxygenParams    p;
  DM              da;
  Oxygen          o;
  Vec             P;
  const PetscInt  n = 120;
  const PetscReal L = 3e-3, dx = L / n, P0 = 10e3, lambda = 0.5e-3;
  PetscReal       exact[120], err, e1d;

  PetscFunctionBeginUser;
  PetscCall(OxygenParamsDefault(&p));
  /* 1. the slab: linear consumption, no perfusion, no surface */
  {
    OxygenParams q = p;
    q.consumption  = OXYGEN_LINEAR;
    q.surface      = PETSC_FALSE;
    q.k_lin        = q.alpha * q.D / (lambda * lambda);
    for (PetscInt i = 0; i < n; i++) {
      const PetscReal x = (i + 0.5) * dx - 0.5 * dx, Lf = L - 0.5 * dx;
      exact[i] = P0 * PetscCoshReal((Lf - x) / lambda) / PetscCoshReal(Lf / lambda);
    }
    PetscCall(Map(n, 1, dx, &q, PETSC_TRUE, P0, 0, &P, &da, &o));
    PetscCall(CompareRows(da, P, n, exact, P0, &e1d));
    printf("  slab L = %.0f mm, lambda = sqrt(alpha D / k) = %.1f mm, %d cells of %.0f um\n", 1e3 * L, 1e3 * lambda, (int)n, 1e6 * dx);
    ValCheck((PetscBool)(e1d <= 0.01), "1D slab vs P0 cosh((L - x)/lambda)/cosh(L/lambda)", "largest difference %.2e of P0 (<= 1e-2)", (double)e1d);
    PetscCall(VecDestroy(&P));
    PetscCall(OxygenDestroy(&o));
    PetscCall(DMDestroy(&da));
    /* 2. the same slab as every row of a 2D map, against the 1D solution */
    {
      Vec                P1;
      const PetscScalar *a;
      PetscReal          row[120];
      PetscCall(Map(n, 1, dx, &q, PETSC_TRUE, P0, 0, &P1, &da, &o));
      {
        Vec        all;
        VecScatter sc;
        PetscCall(VecScatterCreateToAll(P1, &sc, &all));
        PetscCall(VecScatterBegin(sc, P1, all, INSERT_VALUES, SCATTER_FORWARD));
        PetscCall(VecScatterEnd(sc, P1, all, INSERT_VALUES, SCATTER_FORWARD));
        PetscCall(VecGetArrayRead(all, &a));
        for (PetscInt i = 0; i < n; i++)
          row[i] = a[i];
        PetscCall(VecRestoreArrayRead(all, &a));
        PetscCall(VecScatterDestroy(&sc));
        PetscCall(VecDestroy(&all));
      }
      PetscCall(VecDestroy(&P1));
      PetscCall(OxygenDestroy(&o));
      PetscCall(DMDestroy(&da));
      PetscCall(Map(n, 37, dx, &q, PETSC_TRUE, P0, 0, &P, &da, &o));
      PetscCall(CompareRows(da, P, n, row, P0, &err));
      ValCheck((PetscBool)(err <= 1e-9), "2D map (120 x 37): every row = the 1D slab", "largest difference %.2e of P0 (<= 1e-9)", (double)err);
      PetscCall(VecDestroy(&P));
      PetscCall(OxygenDestroy(&o));
      PetscCall(DMDestroy(&da));
    }
  }
  /* 3. uniform maps at healthy, half and no perfusion */
  for (int k = 0; k < 3; k++) {
    const PetscReal w = (k == 0 ? 1 : k == 1 ? 0.5
                                             : 0) *
                        12.5e-6 / (1e-4 * 60); /* 12.5 mL/100 g/min, tissue 1000 kg/m^3 */
    const PetscReal Pb = Balance(&p, w);
    PetscReal       f[16];
    char            what[80];
    for (int i = 0; i < 16; i++)
      f[i] = Pb;
    PetscCall(Map(16, 16, 0.5e-3, &p, PETSC_FALSE, 60 * MMHG, w, &P, &da, &o));
    PetscCall(CompareRows(da, P, 16, f, Pb, &err));
    PetscCall(PetscSNPrintf(what, sizeof(what), "uniform map, perfusion %.1f mL/100 g/min", (double)(w * 1e-4 * 60 / 1e-6)));
    ValCheck((PetscBool)(err <= 1e-6), what, "PO2 %.2f mmHg, the single-cell balance to %.1e (<= 1e-6)", (double)(Pb / MMHG), (double)err);
    PetscCall(VecDestroy(&P));
    PetscCall(OxygenDestroy(&o));
    PetscCall(DMDestroy(&da));
  }
  PetscFunctionReturn(0);
}

VAL_MAIN("validation: tissue oxygen (slab closed form, 2D map, uniform balance)", Body)
