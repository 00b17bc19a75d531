/* Validation (3): steady flow through a small network with a loop against Poiseuille resistances and
   Kirchhoff's laws. Stiff walls keep the areas within 0.03 % of their reference, where the Poiseuille
   resistance 8 mu L / (pi r^4) holds; the pulsatile solver is run from rest with a smoothly started
   constant inflow until it is steady. Two vessels run against the edge order, so the test also checks
   that nothing depends on orientation. A pressure-driven vessel, with the inlet at its x = L end, checks
   the pressure inlet the same way. */
#include "valtest.h"

#include <petscksp.h>

static const char mesh[] = VAL_LOOP;

/* Kirchhoff: node pressures of the internal nodes 2..5 with vessel conductances G = pi r^4 / (8 mu L),
   terminal vessels in series with their outlet resistance. Returns the node pressures p[0..6] (node ids
   1..7) and the vessel flows from their 'from' to their 'to' node. */
static PetscErrorCode Kirchhoff(HavocMesh m, PetscReal mu, PetscReal qin, PetscReal p[7], PetscReal flow[7])
{
  Mat                K;
  Vec                b, x;
  KSP                ksp;
  PetscReal          G[7];
  const PetscScalar *xx;

  PetscFunctionBeginUser;
  for (int i = 0; i < 7; i++) {
    const HavocMeshVessel *v = &m->vessels[i];
    G[i]                     = PETSC_PI * PetscPowReal(v->r_prox, 4) / (8 * mu * v->length);
  }
  PetscCall(MatCreateSeqDense(PETSC_COMM_SELF, 4, 4, NULL, &K));
  PetscCall(VecCreateSeq(PETSC_COMM_SELF, 4, &b));
  PetscCall(VecDuplicate(b, &x));
  PetscCall(VecSet(b, 0));
  /* unknowns: nodes 2, 3, 4, 5 -> 0..3; every internal vessel couples two of them */
  {
    const int ends[5][2] = {{0, 1}, {2, 0}, {1, 3}, {3, 2}, {-1, -1}};
    for (int i = 0; i < 4; i++) {
      const int   vi = i == 0 ? 1 : i == 1 ? 2
                                  : i == 2 ? 3
                                           : 4; /* b, c, d, e */
      const int   u = ends[i][0], w = ends[i][1];
      PetscScalar g = G[vi];
      PetscCall(MatSetValue(K, u, u, g, ADD_VALUES));
      PetscCall(MatSetValue(K, w, w, g, ADD_VALUES));
      PetscCall(MatSetValue(K, u, w, -g, ADD_VALUES));
      PetscCall(MatSetValue(K, w, u, -g, ADD_VALUES));
    }
  }
  /* terminal branches: f from node 5 and g from node 3, each through its vessel and outlet to 0 Pa */
  PetscCall(MatSetValue(K, 3, 3, 1 / (1 / G[5] + 2e9), ADD_VALUES));
  PetscCall(MatSetValue(K, 1, 1, 1 / (1 / G[6] + 4e9), ADD_VALUES));
  PetscCall(VecSetValue(b, 0, qin, INSERT_VALUES));
  PetscCall(MatAssemblyBegin(K, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(K, MAT_FINAL_ASSEMBLY));
  PetscCall(VecAssemblyBegin(b));
  PetscCall(VecAssemblyEnd(b));
  PetscCall(KSPCreate(PETSC_COMM_SELF, &ksp));
  PetscCall(KSPSetOperators(ksp, K, K));
  PetscCall(KSPSetType(ksp, KSPPREONLY));
  {
    PC pc;
    PetscCall(KSPGetPC(ksp, &pc));
    PetscCall(PCSetType(pc, PCLU));
  }
  PetscCall(KSPSolve(ksp, b, x));
  PetscCall(VecGetArrayRead(x, &xx));
  p[1]    = xx[0];
  p[2]    = xx[1];
  p[3]    = xx[2];
  p[4]    = xx[3];
  p[0]    = p[1] + qin / G[0];
  flow[0] = qin;
  flow[1] = G[1] * (p[1] - p[2]);
  flow[2] = G[2] * (p[3] - p[1]);
  flow[3] = G[3] * (p[2] - p[4]);
  flow[4] = G[4] * (p[4] - p[3]);
  flow[5] = p[4] / (1 / G[5] + 2e9);
  flow[6] = p[2] / (1 / G[6] + 4e9);
  p[5]    = flow[5] * 2e9;
  p[6]    = flow[6] * 4e9;
  PetscCall(VecRestoreArrayRead(x, &xx));
  PetscCall(KSPDestroy(&ksp));
  PetscCall(MatDestroy(&K));
  PetscCall(VecDestroy(&b));
  PetscCall(VecDestroy(&x));
  PetscFunctionReturn(0);
}

/* A pressure-driven single vessel: inlet pressure p_in, Poiseuille vessel, outlet resistance R. */
static const char tube[] = "format: havoc-network 1\n"
                           "nodes: [{id: 1, x: 0, y: 0, z: 0}, {id: 2, x: 60, y: 0, z: 0}]\n"
                           "inlets: [{node: 2}]\n"
                           "vessels:\n"
                           "  - {name: tube, from: 1, to: 2, length: 60 mm, radius: 1.2 mm, E: 100 MPa, h: 0.12 mm, zeta: 2, outlet: {model: resistance, R: 3e9, p_out: 500 Pa}}\n";

static PetscErrorCode PressureDriven(void)
{
  ValRun           r;
  PetscInt         n;
  const PetscReal *t;
  PetscReal       *p, *q, *a, Rp, qth, e;

  PetscFunctionBeginUser;
  PetscCall(ValRunCreate("pressure-driven tube (inline)", tube,
                         "blood: {viscosity: 4 mPa s}\n"
                         "inlet: {quantity: pressure, type: constant, value: 4 kPa, ramp: 50 ms}\n"
                         "hemo: {t_end: 1 s}\n"
                         "output: {probe_dt: 10 ms, probe_fractions: [0.5]}\n",
                         &r));
  PetscCall(ValRunSolve(&r));
  PetscCall(ValRunSeries(&r, "tube", 0, &n, &t, &p, &q, &a));
  /* the inlet is the x = L end, so the flow runs towards x = 0: Q < 0 */
  Rp  = 8 * 4e-3 * 0.06 / (PETSC_PI * PetscPowReal(1.2e-3, 4));
  qth = -(4e3 - 500) / (Rp + 3e9);
  e   = PetscAbsReal(q[n - 1] - qth) / PetscAbsReal(qth);
  ValCheck((PetscBool)(e <= 0.005), "pressure inlet, flow vs Poiseuille", "Q = %.6e m^3/s, theory %.6e m^3/s, error %.4f %% (bound 0.5 %%)", (double)q[n - 1], (double)qth, 100 * (double)e);
  PetscCall(PetscFree3(p, q, a));
  PetscCall(ValRunDestroy(&r));
  PetscFunctionReturn(0);
}

static PetscErrorCode Body(void)
{
  ValRun          r;
  const PetscReal qin = 1e-6, mu = 4e-3;
  PetscReal       p[7], flow[7], eq = 0, ep = 0;

  PetscFunctionBeginUser;
  PetscCall(ValRunCreate("loop network (inline)", mesh,
                         "blood: {viscosity: 4e-3 Pa s}\n"
                         "inlet: {type: constant, value: 1 mL/s, ramp: 50 ms}\n"
                         "hemo: {t_end: 1.5 s, junction_pressure: static}\n"
                         "network: {dx: 1 mm}\n"
                         "output: {probe_dt: 10 ms, probe_fractions: [0.5]}\n",
                         &r));
  PetscCall(ValRunSolve(&r));
  PetscCall(Kirchhoff(r.mesh, mu, qin, p, flow));
  for (int i = 0; i < 7; i++) {
    const HavocMeshVessel *v = &r.mesh->vessels[i];
    PetscInt               n;
    const PetscReal       *t;
    PetscReal             *pp, *qq, *aa;
    const PetscReal        pmid = 0.5 * (p[r.mesh->nodes[v->from].id - 1] + p[r.mesh->nodes[v->to].id - 1]);
    PetscCall(ValRunSeries(&r, v->name, 0, &n, &t, &pp, &qq, &aa));
    eq = ValMax(eq, PetscAbsReal(qq[n - 1] - flow[i]) / qin);
    ep = ValMax(ep, PetscAbsReal(pp[n - 1] - pmid) / pmid);
    printf("    vessel %s: Q = %.6e m^3/s (Kirchhoff %.6e), p(mid) = %.2f Pa (Kirchhoff %.2f)\n", v->name, (double)qq[n - 1], (double)flow[i], (double)pp[n - 1], (double)pmid);
    PetscCall(PetscFree3(pp, qq, aa));
  }
  ValCheck((PetscBool)(eq <= 0.005), "steady flows vs Kirchhoff-Poiseuille", "largest error %.4f %% of the inflow (bound 0.5 %%)", 100 * (double)eq);
  ValCheck((PetscBool)(ep <= 0.005), "steady pressures vs Kirchhoff-Poiseuille", "largest error %.4f %% (bound 0.5 %%)", 100 * (double)ep);
  PetscCall(ValRunDestroy(&r));
  PetscCall(PressureDriven());
  PetscFunctionReturn(0);
}

VAL_MAIN("validation: steady flow through a network with a loop", Body)
