/* make bench: throughput of the pulsatile solver against baselines run in the same process.

   bare kernel   the same MUSCL-Hancock/HLL sweep on plain arrays: one long run of vessels with their
                 boundary states copied from the end cells (no network, no junctions, no MPI)
   solver        the full solver (predictor, slot exchange, junction Newton, boundaries, sweep, CFL
                 reduction, probes) on a generated 200-vessel tree with loops
   junction      Newton solves of 3-way junctions, warm-started as in the solver
   cycle         wall time of one cardiac cycle for the carotid benchmark, the tree and the default face
                 (as the healthy-face case runs it, without output)
   steady        wall time of one steady (cycle-averaged) solve on the tree and on the default face after
                 an occlusion changed, rigid and compliant lumen
      tissue        wall time of 24 h of tissue (oxygen and damage) on the default face map with the nasal tip
                 occluded, and its cost per cell and step against a cell update of the bare kernel
   bolus         wall time of a cardiac cycle of the face while 0.1 mL of gel is injected and moves (the
                 glabella case), against the healthy face cycle: the cost of the slug bookkeeping
   Every figure is the best of three measurements, interleaved, so that a busy neighbour on the machine
   slows one repetition rather than biasing the ratio. Options: -bench_tree_only (used by run.sh for the
   1 vs 2 rank comparison), -bench_face_only (wall per cycle of the face alone, e.g. under a profiler). */
#include <stdio.h>
#include <string.h>

#include "bolus.h"
#include "case.h"
#include "tissue.h"
#include "hemo.h"
#include "probes.h"
#include "steady.h"

#define RHO 1060.0

typedef struct {
  HavocKernel  k;
  HavocVessel *v;
  PetscReal   *mem, dt;
  PetscInt     nv, total;
} Bare;

/* nv vessels of cells[i] cells each (all 100 when cells is NULL). */
static PetscErrorCode BareCreate(PetscInt nv_in, const PetscInt *cells, Bare *b)
{
  const PetscInt  nv = nv_in;
  PetscInt        M = 0, total = 0;
  HavocVessel    *v;
  PetscReal      *m;
  const PetscReal r = 2e-3, E = 700e3, h = 0.2e-3, dx = 1e-3, Ar = PETSC_PI * r * r, beta = 4.0 / 3.0 * PetscSqrtReal(PETSC_PI) * E * h, K = beta / Ar;
  const PetscReal c0 = PetscSqrtReal(K * PetscSqrtReal(Ar) / (2 * RHO)), dt = 0.9 * dx / (c0 + 1);

  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < nv; i++) {
    M = PetscMax(M, cells ? cells[i] : 100);
    total += cells ? cells[i] : 100;
  }
  PetscCall(HavocKernelCreate(RHO, HAVOC_LIMITER_MC, M, &b->k));
  PetscCall(PetscCalloc1(nv, &b->v)); /* no gel, no stale pointers */
  PetscCall(PetscMalloc1(6 * total + (6 + HAVOC_FACE_ARRAYS) * (total + nv), &b->mem));
  v        = b->v;
  m        = b->mem;
  b->nv    = nv;
  b->total = total;
  b->dt    = dt;
  for (PetscInt i = 0; i < nv; i++) {
    const PetscInt M  = cells ? cells[i] : 100; /* this vessel's cells */
    PetscReal     *K_ = m + 2 * M, *f = m + 6 * M;
    v[i].M       = M;
    v[i].dx      = dx;
    v[i].KR      = 8 * PETSC_PI * 4e-3 / RHO;
    v[i].A       = m;
    v[i].Q       = m + M;
    v[i].K       = K_;
    v[i].invK    = K_ + M;
    v[i].sqrtAr  = K_ + 2 * M;
    v[i].pr      = K_ + 3 * M;
    v[i].Kf      = f;
    v[i].invKf   = f + (M + 1);
    v[i].sqrtArf = f + 2 * (M + 1);
    v[i].prf     = f + 3 * (M + 1);
    v[i].gf      = f + 4 * (M + 1);
    v[i].Kf3     = f + 5 * (M + 1);
    v[i].f.pL    = f + 6 * (M + 1);
    v[i].f.uL    = f + 7 * (M + 1);
    v[i].f.AL    = f + 8 * (M + 1);
    v[i].f.FL    = f + 9 * (M + 1);
    v[i].f.pR    = f + 10 * (M + 1);
    v[i].f.uR    = f + 11 * (M + 1);
    v[i].f.AR    = f + 12 * (M + 1);
    v[i].f.FR    = f + 13 * (M + 1);
    for (PetscInt j = 0; j <= M; j++) {
      if (j < M) {
        K_[j]         = K;
        K_[M + j]     = 1 / K;
        K_[2 * M + j] = PetscSqrtReal(Ar);
        K_[3 * M + j] = 0;
        v[i].A[j]     = Ar * (1.1 + 0.05 * PetscSinReal(0.1 * j + i));
        v[i].Q[j]     = 1e-6 * PetscCosReal(0.07 * j);
      }
      f[j]               = K;
      f[M + 1 + j]       = 1 / K;
      f[2 * (M + 1) + j] = PetscSqrtReal(Ar);
      f[3 * (M + 1) + j] = 0;
      f[4 * (M + 1) + j] = PetscSqrtReal(K / (2 * RHO));
      f[5 * (M + 1) + j] = K / (3 * RHO);
    }
    v[i].pb[0] = v[i].pb[1] = K * (PetscSqrtReal(v[i].A[0]) - PetscSqrtReal(Ar));
    v[i].qb[0] = v[i].qb[1] = v[i].Q[0];
    m += 6 * M + (6 + HAVOC_FACE_ARRAYS) * (M + 1);
    (void)dt;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode BareRun(Bare *b, PetscReal *rate)
{
  PetscLogDouble t0, t1;
  PetscInt       steps = 0;

  PetscFunctionBeginUser;
  PetscCall(PetscTime(&t0));
  do {
    for (int rep = 0; rep < 20; rep++, steps++)
      for (PetscInt i = 0; i < b->nv; i++) {
        HavocVessel    *v = &b->v[i];
        PetscReal       W[2];
        const PetscReal Ab[2] = {v->A[0], v->A[v->M - 1]}, Qb[2] = {v->Q[0], v->Q[v->M - 1]};
        HavocKernelPredict(&b->k, v, b->dt, W);
        HavocSweepResult res = HavocSweepHLL(&b->k, v, b->dt, Ab, Qb);
        PetscCheck(res.bad_cell < 0, PETSC_COMM_SELF, PETSC_ERR_PLIB, "bare kernel went non-physical");
      }
    PetscCall(PetscTime(&t1));
  } while (t1 - t0 < 1);
  *rate = (PetscReal)steps * b->total / (t1 - t0);
  PetscFunctionReturn(0);
}

static PetscErrorCode BareDestroy(Bare *b)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFree(b->mem));
  PetscCall(PetscFree(b->v));
  PetscCall(HavocKernelDestroy(&b->k));
  PetscFunctionReturn(0);
}

static PetscErrorCode Junctions(PetscReal *rate, PetscReal *its)
{
  const PetscInt n = 1000;
  HavocJunction *J;
  PetscReal(*W)[3], (*u)[3], A[3], Q[3];
  HavocJunctionTol tol = {1e-6, 1e-18, 30};
  PetscLogDouble   t0, t1;
  PetscInt         solves = 0, total = 0;

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc3(n, &J, n, &W, n, &u));
  for (PetscInt j = 0; j < n; j++) {
    J[j].n              = 3;
    J[j].total_pressure = PETSC_TRUE;
    for (int s = 0; s < 3; s++) {
      const PetscReal r = (s ? 1.2e-3 : 1.6e-3) * (1 + 0.1 * PetscSinReal(j)), Ar = PETSC_PI * r * r;
      HavocEnd       *e = &J[j].end[s];
      e->tube.sqrtAr    = PetscSqrtReal(Ar);
      e->tube.K         = 4.0 / 3.0 * PetscSqrtReal(PETSC_PI) * 700e3 * 0.1 * r / Ar;
      e->tube.pr        = 0;
      e->rho            = RHO;
      e->gamma          = PetscSqrtReal(e->tube.K / (2 * RHO));
      e->sign           = s ? -1 : 1;
      W[j][s]           = e->sign * 4 * e->gamma * PetscSqrtReal(1.1 * e->tube.sqrtAr) + 0.2;
      u[j][s]           = 0;
    }
  }
  PetscCall(PetscTime(&t0));
  do {
    for (PetscInt j = 0; j < n; j++) {
      /* a small change of the invariants between calls, as from one time step to the next */
      for (int s = 0; s < 3; s++)
        W[j][s] += (solves % 2 ? 1e-4 : -1e-4);
      PetscInt it = HavocJunctionSolve(&J[j], &tol, W[j], u[j], A, Q);
      PetscCheck(it >= 0, PETSC_COMM_SELF, PETSC_ERR_PLIB, "junction benchmark did not converge");
      total += it;
      solves++;
    }
    PetscCall(PetscTime(&t1));
  } while (t1 - t0 < 0.5);
  *rate = solves / (t1 - t0);
  *its  = (PetscReal)total / solves;
  PetscCall(PetscFree3(J, W, u));
  PetscFunctionReturn(0);
}

typedef struct {
  Hemo       h;
  HemoProbes pr;
} Run;

/* A case set up and run for one cycle of warm-up; with bolus (not NULL) the bolus of the options is set
   up too, the warm-up is six cycles (near the periodic state, as a run injects) and the injection starts. */
static PetscErrorCode RunCreate(HavocMesh mesh, const char options[], Run *r, Bolus *bolus)
{
  PetscFunctionBeginUser;
  PetscCall(HavocCaseLoadString(PETSC_COMM_WORLD, "bench options", options));
  PetscCall(HemoCreate(PETSC_COMM_WORLD, &r->h));
  PetscCall(HemoSetFromOptions(r->h));
  PetscCall(HemoSetMesh(r->h, mesh));
  PetscCall(HemoSetUp(r->h));
  PetscCall(HemoProbesCreate(r->h, &r->pr));
  PetscCall(HemoProbesSetFromOptions(r->pr));
  PetscCall(HemoProbesSetUp(r->pr, NULL));
  if (bolus) {
    PetscReal *zero;
    PetscBool  active;
    PetscCall(BolusCreate(r->h, bolus));
    PetscCall(BolusSetFromOptions(*bolus, &active));
    PetscCall(PetscCalloc1(mesh->nvessels, &zero));
    PetscCall(BolusSetUp(*bolus, zero, zero, zero));
    PetscCall(PetscFree(zero));
  }
  PetscCall(HavocCaseClear());
  r->h->t_end = (bolus ? 6 : 1) * r->h->inlet->period;
  PetscCall(HemoSolve(r->h));
  if (bolus) {
    PetscCall(BolusStart(*bolus));
    r->h->t_end = r->h->t; /* RunCycle goes one cycle at a time */
  }
  PetscFunctionReturn(0);
}

/* One more cycle: cell updates per second and the wall time of the cycle. */
static PetscErrorCode RunCycle(Run *r, PetscReal *rate, PetscReal *wall)
{
  PetscLogDouble t0, t1;
  const PetscInt s0 = r->h->step;

  PetscFunctionBeginUser;
  r->h->t_end += r->h->inlet->period;
  PetscCall(MPI_Barrier(PETSC_COMM_WORLD));
  PetscCall(PetscTime(&t0));
  PetscCall(HemoSolve(r->h));
  PetscCall(MPI_Barrier(PETSC_COMM_WORLD));
  PetscCall(PetscTime(&t1));
  *rate = (PetscReal)(r->h->step - s0) * r->h->net->ncells_total / (t1 - t0);
  *wall = t1 - t0;
  PetscFunctionReturn(0);
}

/* Best wall time of a steady solve over reps solves, each after a change of the resistance of one vessel
   (an occlusion appears or clears), from the previous solution; also the Newton iterations of the last. */
static PetscErrorCode SteadyBench(Hemo h, PetscBool compliant, PetscReal inflow, PetscInt reps, PetscReal *best, PetscInt *its)
{
  Steady s;

  PetscFunctionBeginUser;
  PetscCall(SteadyCreate(h->net, &s));
  PetscCall(SteadySetBlood(s, h->rho, h->mu, h->zeta));
  PetscCall(SteadySetInlet(s, PETSC_FALSE, inflow));
  PetscCall(SteadySetCompliant(s, compliant));
  PetscCall(SteadySolve(s));
  *best = PETSC_MAX_REAL;
  for (PetscInt k = 0; k < reps; k++) {
    PetscLogDouble t0, t1;
    PetscCall(SteadySetVesselResistance(s, h->mesh->nvessels / 2, k % 2 ? 0 : 1e10));
    PetscCall(MPI_Barrier(PETSC_COMM_WORLD));
    PetscCall(PetscTime(&t0));
    PetscCall(SteadySolve(s));
    PetscCall(PetscTime(&t1));
    *best = PetscMin(*best, t1 - t0);
  }
  PetscCall(SteadyGetIterations(s, its));
  PetscCall(SteadyDestroy(&s));
  PetscFunctionReturn(0);
}

/* 24 h of tissue on the default face, the nasal tip occluded: wall time and cell-steps per second. */
static PetscErrorCode TissueBench(HavocMesh mesh, PetscReal *wall, PetscReal *rate, PetscInt *cells)
{
  Tissue         t;
  PetscBool      active;
  PetscReal     *qh, *q;
  PetscLogDouble t0, t1;
  DM             da;
  PetscInt       mx, my;

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc2(mesh->nvessels, &qh, mesh->nvessels, &q));
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    const PetscInt r = mesh->vessels[i].territory_index;
    qh[i]            = 1e-9;
    q[i]             = r >= 0 && !strcmp(mesh->territories[r].name, "nasal_tip_l") ? 0 : qh[i];
  }
  PetscCall(HavocCaseLoadString(PETSC_COMM_WORLD, "bench options", "tissue: {t_end: 24 h}\n"));
  PetscCall(TissueCreate(PETSC_COMM_WORLD, mesh, &t));
  PetscCall(TissueSetFromOptions(t, &active));
  PetscCall(HavocCaseClear());
  PetscCall(MPI_Barrier(PETSC_COMM_WORLD));
  PetscCall(PetscTime(&t0));
  PetscCall(TissueSetUp(t, qh));
  PetscCall(TissueRun(t, q));
  PetscCall(MPI_Barrier(PETSC_COMM_WORLD));
  PetscCall(PetscTime(&t1));
  PetscCall(TissueGetMap(t, &da, NULL, NULL));
  PetscCall(DMDAGetInfo(da, NULL, &mx, &my, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
  *cells = mx * my;
  *wall  = t1 - t0;
  *rate  = (PetscReal)(mx * my) * (24 * 60) / (t1 - t0); /* 60 s steps */
  PetscCall(TissueDestroy(&t));
  PetscCall(PetscFree2(qh, q));
  PetscFunctionReturn(0);
}

static PetscErrorCode RunDestroy(Run *r)
{
  PetscFunctionBeginUser;
  PetscCall(HemoProbesDestroy(&r->pr));
  PetscCall(HemoDestroy(&r->h));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  HavocTreeSpec spec;
  HavocMesh     tree, cca, face;
  Run           rt, rc, rf, rb;
  Bolus         bolus;
  Bare          bare, same;
  PetscReal     bolus_wall = PETSC_MAX_REAL, same_rate = 0, bare_rate = 0, tree_rate = 0, tree_wall = PETSC_MAX_REAL, cca_wall = PETSC_MAX_REAL, face_wall = PETSC_MAX_REAL, jrate = 0, jits = 0, rate, wall, steady_rigid, steady_compliant, face_rigid, face_compliant;
  PetscInt      its_rigid, its_compliant, its_face_rigid, its_face_compliant;
  PetscBool     tree_only = PETSC_FALSE, face_only = PETSC_FALSE;
  const char    tree_opts[] = "inlet: {type: table, table: meshes/benchmarks/boileau2015/cca-inflow.dat}\nhemo: {p0: 12 kPa}\n";
  const char    cca_opts[]  = "inlet: {type: table, table: meshes/benchmarks/boileau2015/cca-inflow.dat}\nhemo: {p0: 10.9 kPa}\n";
  /* as cases/clinical/healthy-face.yaml */
  const char face_opts[] = "patient: {posture: reclined}\ninlet: {type: table, table: meshes/benchmarks/boileau2015/cca-inflow.dat}\nhemo: {p0: 11 kPa}\nnetwork: {dx: 2 mm}\n";
  /* as cases/clinical/glabella-retrograde.yaml */
  const char bolus_opts[] = "patient: {posture: reclined}\ninlet: {type: table, table: meshes/benchmarks/boileau2015/cca-inflow.dat}\nhemo: {p0: 11 kPa}\nnetwork: {dx: 2 mm}\n"
                            "bolus: {vessel: supratrochlear_l, position: 0.9, volume: 0.1 mL, rate: 0.1 mL/s, pressure_cap: 100 kPa, start: 0.599 s}\n";

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(HavocErrorHandlerPush());
  PetscCall(HavocRegisterAll());
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-bench_tree_only", &tree_only, NULL));
  PetscCall(PetscOptionsGetBool(NULL, NULL, "-bench_face_only", &face_only, NULL));
  if (face_only) {
    PetscCall(HavocMeshRead(PETSC_COMM_WORLD, "meshes/face/default.yaml", &face));
    PetscCall(RunCreate(face, face_opts, &rf, NULL));
    for (int rep = 0; rep < 3; rep++) {
      PetscCall(RunCycle(&rf, &rate, &wall));
      face_wall = PetscMin(face_wall, wall);
    }
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "face_wall_per_cycle_s %.6f (%" PetscInt_FMT " cells, %.1f M cell updates/s)\n", (double)face_wall, rf.h->net->ncells_total, (double)rate / 1e6));
    PetscCall(RunDestroy(&rf));
    PetscCall(BolusDestroy(&bolus));
    PetscCall(RunDestroy(&rb));
    PetscCall(HavocMeshDestroy(&face));
    PetscCall(HavocErrorHandlerPop());
    PetscCall(PetscFinalize());
    return 0;
  }
  PetscCall(HavocTreeSpecDefault(&spec));
  spec.nvessels = 200;
  spec.nloops   = 10;
  spec.seed     = 2026;
  PetscCall(HavocMeshGenerateTree(PETSC_COMM_WORLD, &spec, &tree));
  PetscCall(RunCreate(tree, tree_opts, &rt, NULL));
  if (tree_only) {
    for (int rep = 0; rep < 3; rep++) {
      PetscCall(RunCycle(&rt, &rate, &wall));
      tree_wall = PetscMin(tree_wall, wall);
    }
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "tree_wall_per_cycle_s %.6f\n", (double)tree_wall));
  } else {
    PetscCall(HavocMeshRead(PETSC_COMM_WORLD, "meshes/benchmarks/boileau-cca.yaml", &cca));
    PetscCall(RunCreate(cca, cca_opts, &rc, NULL));
    PetscCall(HavocMeshRead(PETSC_COMM_WORLD, "meshes/face/default.yaml", &face));
    PetscCall(RunCreate(face, face_opts, &rf, NULL));
    PetscCall(RunCreate(face, bolus_opts, &rb, &bolus));
    PetscCall(BareCreate(200, NULL, &bare));
    PetscCall(BareCreate(tree->nvessels, rt.h->net->vessel_cells, &same));
    for (int rep = 0; rep < 3; rep++) {
      PetscCall(BareRun(&bare, &rate));
      bare_rate = PetscMax(bare_rate, rate);
      PetscCall(BareRun(&same, &rate));
      same_rate = PetscMax(same_rate, rate);
      PetscCall(RunCycle(&rt, &rate, &wall));
      tree_rate = PetscMax(tree_rate, rate);
      tree_wall = PetscMin(tree_wall, wall);
      PetscCall(RunCycle(&rc, &rate, &wall));
      cca_wall = PetscMin(cca_wall, wall);
      PetscCall(RunCycle(&rf, &rate, &wall));
      face_wall = PetscMin(face_wall, wall);
      PetscCall(RunCycle(&rb, &rate, &wall));
      bolus_wall = PetscMin(bolus_wall, wall);
      PetscCall(Junctions(&rate, &jits));
      jrate = PetscMax(jrate, rate);
    }
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  bare kernel (plain arrays, 200 x 100 cells)   %8.1f M cell updates/s   (goal >= 50 per core)\n", (double)bare_rate / 1e6));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  solver, 200-vessel tree (%5" PetscInt_FMT " cells)         %8.1f M cell updates/s\n", rt.h->net->ncells_total, (double)tree_rate / 1e6));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  solver / bare kernel                          %8.2f                     (goal >= 0.5)\n", (double)(tree_rate / bare_rate)));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  bare kernel on the tree's own vessel lengths   %8.1f M cell updates/s\n", (double)same_rate / 1e6));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  solver / bare kernel on the same vessels      %8.2f                     (the cost of the network)\n", (double)(tree_rate / same_rate)));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  junction solves (3-way, warm start)           %8.2f M solves/s, %.2f Newton iterations each\n", (double)jrate / 1e6, (double)jits));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  wall time per cardiac cycle, carotid (%3" PetscInt_FMT " cells) %8.4f s\n", rc.h->net->ncells_total, (double)cca_wall));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  wall time per cardiac cycle, tree              %8.4f s\n", (double)tree_wall));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  wall time per cardiac cycle, face (%4" PetscInt_FMT " cells) %8.4f s   (goal < 0.5)\n", rf.h->net->ncells_total, (double)face_wall));
    {
      PetscInt         n;
      const HavocSlug *sl;
      PetscCall(BolusGetSlugs(bolus, &n, &sl));
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  wall time per cycle, face with a moving bolus %8.4f s   (%" PetscInt_FMT " slugs; %.2f times the healthy face)\n", (double)bolus_wall, n, (double)(bolus_wall / face_wall)));
    }
    {
      PetscReal twall = 0, trate = 1;
      PetscInt  tcells = 0;
      PetscCall(TissueBench(face, &twall, &trate, &tcells));
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  tissue, 24 h on the face map (%" PetscInt_FMT " cells)     %8.2f s   (goal < 30 on one core)\n", tcells, (double)twall));
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  tissue step per map cell / bare kernel update %8.2f     (%.1f M map cells stepped per second)\n", (double)(bare_rate / trate), (double)trate / 1e6));
    }
    PetscCall(SteadyBench(rt.h, PETSC_FALSE, spec.inflow_mean, 20, &steady_rigid, &its_rigid));
    PetscCall(SteadyBench(rt.h, PETSC_TRUE, spec.inflow_mean, 20, &steady_compliant, &its_compliant));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  steady solve, tree (%" PetscInt_FMT " vessels), rigid         %8.3f ms (%" PetscInt_FMT " Newton iteration%s; best of 20)\n", tree->nvessels, 1e3 * (double)steady_rigid, its_rigid, its_rigid == 1 ? "" : "s"));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  steady solve, tree, compliant lumen           %8.3f ms (%" PetscInt_FMT " Newton iteration%s; best of 20)\n", 1e3 * (double)steady_compliant, its_compliant, its_compliant == 1 ? "" : "s"));
    PetscCall(SteadyBench(rf.h, PETSC_FALSE, rf.h->inlet->mean, 20, &face_rigid, &its_face_rigid));
    PetscCall(SteadyBench(rf.h, PETSC_TRUE, rf.h->inlet->mean, 20, &face_compliant, &its_face_compliant));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  steady solve, face (%" PetscInt_FMT " vessels), rigid         %8.3f ms (%" PetscInt_FMT " Newton iteration%s; best of 20)\n", face->nvessels, 1e3 * (double)face_rigid, its_face_rigid, its_face_rigid == 1 ? "" : "s"));
    PetscCall(PetscPrintf(PETSC_COMM_WORLD, "  steady solve, face, compliant lumen           %8.3f ms (%" PetscInt_FMT " Newton iteration%s; best of 20)   (goal < 10)\n", 1e3 * (double)face_compliant, its_face_compliant, its_face_compliant == 1 ? "" : "s"));
    PetscCall(RunDestroy(&rf));
    PetscCall(BolusDestroy(&bolus));
    PetscCall(RunDestroy(&rb));
    PetscCall(HavocMeshDestroy(&face));
    PetscCall(BareDestroy(&bare));
    PetscCall(BareDestroy(&same));
    PetscCall(RunDestroy(&rc));
    PetscCall(HavocMeshDestroy(&cca));
  }
  PetscCall(RunDestroy(&rt));
  PetscCall(HavocMeshDestroy(&tree));
  PetscCall(HavocErrorHandlerPop());
  PetscCall(PetscFinalize());
  return 0;
}
