/* Validation (8): the steady (cycle-averaged) network solver.

   1. Against Kirchhoff's laws solved independently here: node pressures by dense Gaussian elimination with
      the conductances of the vessels (their resistance integrated numerically along the taper, not by the
      solver's closed form) and of the outlets' steady equivalents. A series chain, a parallel pair, a loop
      with vessels against the edge order, tapered vessels (one uniform to 1e-9), a junction of degree 5
      fed by two inlets of different scale; each with flow and with pressure inlets.
   2. Occlusions: a finite one; a blocked vessel that cuts off a subtree with its own outlets (zero flow
      there, the rest exact) and a loop segment between two blocked vessels (zero flow, the pressure of the
      node across the first blocked vessel); the inlet cut off while it carries no flow; a closed network;
      and the clear errors for an inflow with nowhere to go and for an outlet model without a steady
      equivalent.
   3. The compliant lumen: Newton converges quadratically and reduces to the rigid solution for a very
      stiff wall; the Runge-Kutta integration along a vessel matches the exact solution of a uniform
      compliant vessel and a fine integration of a tapered one.
   4. Against the pulsatile solver run to a steady state: the aortic bifurcation of Boileau et al. (2015)
      and the loop network at the scale of facial arteries with soft walls. */
#include "valtest.h"
#include "steady.h"

#define MAXN 32

/* Rigid viscous resistance, rho K_R / pi^2 int_0^L dx / r^4, by composite Simpson (4096 intervals): an
   independent evaluation of the solver's closed form. */
static PetscReal RefResistance(const HavocMeshVessel *v, PetscReal mu)
{
  const PetscInt  n   = 4096;
  const PetscReal h   = v->length / n;
  PetscReal       sum = 0;

  for (PetscInt k = 0; k <= n; k++) {
    const PetscReal r = v->r_prox + (v->r_dist - v->r_prox) * k * h / v->length;
    sum += (k == 0 || k == n ? 1 : k % 2 ? 4
                                         : 2) /
           (r * r * r * r);
  }
  return 2 * (v->zeta + 2) * mu / PETSC_PI * sum * h / 3;
}

static void RefOutlet(const HavocMeshVessel *v, PetscReal *R, PetscReal *p_out)
{
  const HavocOutletType *type;

  HavocOutletGet(v->outlet_type, &type);
  if (!strcmp(type->name, "wk3")) {
    *R     = v->outlet_param[0] + v->outlet_param[1];
    *p_out = v->outlet_param[3];
  } else {
    *R     = v->outlet_param[0];
    *p_out = v->outlet_param[1];
  }
}

/* Kirchhoff: sum over vessels G (p_n - p_other) + G_out (p_n - p_out) = q_in at every node, p fixed at pressure
   inlets and at the nodes in pin[] (those no flow reaches: their value is arbitrary here). Dense Gaussian
   elimination with partial pivoting. */
static PetscErrorCode Kirchhoff(HavocMesh m, PetscReal mu, PetscBool pressure, PetscReal value, const PetscReal Rx[], const PetscBool pin[], PetscReal p[], PetscReal Q[])
{
  const PetscInt N = m->nnodes;
  PetscReal      A[MAXN][MAXN + 1], G[MAXN];

  PetscFunctionBeginUser;
  PetscCheck(N <= MAXN && m->nvessels <= MAXN, PETSC_COMM_SELF, PETSC_ERR_SUP, "test network too large");
  PetscCall(PetscMemzero(A, sizeof(A)));
  for (PetscInt i = 0; i < m->nvessels; i++) {
    const HavocMeshVessel *v = &m->vessels[i];
    const PetscInt         a = v->from, b = v->to;
    G[i] = Rx[i] >= PETSC_INFINITY ? 0 : 1 / (RefResistance(v, mu) + Rx[i]);
    A[a][a] += G[i];
    A[b][b] += G[i];
    A[a][b] -= G[i];
    A[b][a] -= G[i];
    if (v->outlet_node >= 0) {
      PetscReal R, p_out;
      RefOutlet(v, &R, &p_out);
      A[v->outlet_node][v->outlet_node] += 1 / R;
      A[v->outlet_node][N] += p_out / R;
    }
  }
  for (PetscInt i = 0; i < m->ninlets; i++) {
    const PetscInt n = m->inlets[i].node;
    if (pressure) {
      for (PetscInt j = 0; j <= N; j++)
        A[n][j] = 0;
      A[n][n] = 1;
      A[n][N] = value * m->inlets[i].scale;
    } else A[n][N] += value * m->inlets[i].scale;
  }
  for (PetscInt n = 0; n < N; n++)
    if (pin && pin[n]) {
      for (PetscInt j = 0; j <= N; j++)
        A[n][j] = 0;
      A[n][n] = 1;
    }
  for (PetscInt c = 0; c < N; c++) {
    PetscInt piv = c;
    for (PetscInt r = c + 1; r < N; r++)
      if (PetscAbsReal(A[r][c]) > PetscAbsReal(A[piv][c])) piv = r;
    PetscCheck(A[piv][c] != 0, PETSC_COMM_SELF, PETSC_ERR_PLIB, "reference Kirchhoff system is singular");
    for (PetscInt j = 0; j <= N; j++) {
      const PetscReal t = A[c][j];
      A[c][j]           = A[piv][j];
      A[piv][j]         = t;
    }
    for (PetscInt r = c + 1; r < N; r++) {
      const PetscReal f = A[r][c] / A[c][c];
      for (PetscInt j = c; j <= N; j++)
        A[r][j] -= f * A[c][j];
    }
  }
  for (PetscInt r = N - 1; r >= 0; r--) {
    PetscReal s = A[r][N];
    for (PetscInt j = r + 1; j < N; j++)
      s -= A[r][j] * p[j];
    p[r] = s / A[r][r];
  }
  for (PetscInt i = 0; i < m->nvessels; i++)
    Q[i] = G[i] * (p[m->vessels[i].from] - p[m->vessels[i].to]);
  PetscFunctionReturn(0);
}

typedef struct {
  HavocMesh mesh;
  Network   net;
  Steady    s;
} Run;

static PetscErrorCode RunCreate(const char label[], const char text[], Run *r)
{
  PetscFunctionBeginUser;
  PetscCall(HavocMeshReadString(PETSC_COMM_WORLD, label, text, &r->mesh));
  PetscCall(NetworkCreate(PETSC_COMM_WORLD, r->mesh, &r->net));
  PetscCall(NetworkSetUp(r->net));
  PetscCall(SteadyCreate(r->net, &r->s));
  PetscCall(SteadySetFromOptions(r->s));
  PetscCall(SteadySetBlood(r->s, 1060, 4e-3, -1));
  PetscFunctionReturn(0);
}

static PetscErrorCode RunDestroy(Run *r)
{
  PetscFunctionBeginUser;
  PetscCall(SteadyDestroy(&r->s));
  PetscCall(NetworkDestroy(&r->net));
  PetscCall(HavocMeshDestroy(&r->mesh));
  PetscFunctionReturn(0);
}

/* Node pressures from the vessel end pressures. */
static void NodePressures(HavocMesh m, const PetscReal *p0, const PetscReal *pL, PetscReal p[])
{
  for (PetscInt i = 0; i < m->nvessels; i++) {
    p[m->vessels[i].from] = p0[i];
    p[m->vessels[i].to]   = pL[i];
  }
}

/* Solves with the given occlusions and compares with Kirchhoff: largest flow error relative to the largest
   flow, largest pressure error (nodes not pinned) relative to the largest pressure. */
static PetscErrorCode Compare(Run *r, PetscBool pressure, PetscReal value, const PetscReal Rx[], const PetscBool pin[], PetscReal *eq, PetscReal *ep, PetscInt *its, PetscReal p[], PetscReal Q[])
{
  HavocMesh        m = r->mesh;
  PetscReal        pr[MAXN], Qr[MAXN], qmax = 0, pmax = 0;
  const PetscReal *q, *p0, *pL;

  PetscFunctionBeginUser;
  PetscCall(SteadySetInlet(r->s, pressure, value));
  for (PetscInt i = 0; i < m->nvessels; i++)
    PetscCall(SteadySetVesselResistance(r->s, i, Rx ? Rx[i] : 0));
  PetscCall(SteadySolve(r->s));
  PetscCall(SteadyGetIterations(r->s, its));
  PetscCall(SteadyGetSolution(r->s, &q, &p0, &pL));
  NodePressures(m, p0, pL, p);
  {
    PetscReal zero[MAXN] = {0};
    PetscCall(Kirchhoff(m, 4e-3, pressure, value, Rx ? Rx : zero, pin, pr, Qr));
  }
  *eq = *ep = 0;
  for (PetscInt i = 0; i < m->nvessels; i++) {
    Q[i] = q[i];
    qmax = PetscMax(qmax, PetscAbsReal(Qr[i]));
  }
  for (PetscInt n = 0; n < m->nnodes; n++)
    if (!pin || !pin[n]) pmax = PetscMax(pmax, PetscAbsReal(pr[n]));
  for (PetscInt i = 0; i < m->nvessels; i++)
    *eq = ValMax(*eq, PetscAbsReal(q[i] - Qr[i]) / qmax);
  for (PetscInt n = 0; n < m->nnodes; n++)
    if (!pin || !pin[n]) *ep = ValMax(*ep, PetscAbsReal(p[n] - pr[n]) / pmax);
  PetscFunctionReturn(0);
}

#define NODES4                       \
  "nodes:\n"                         \
  "  - {id: 1, x: 0, y: 0, z: 0}\n"  \
  "  - {id: 2, x: 30, y: 0, z: 0}\n" \
  "  - {id: 3, x: 60, y: 0, z: 0}\n" \
  "  - {id: 4, x: 90, y: 0, z: 0}\n"
#define NODES5 NODES4 "  - {id: 5, x: 120, y: 0, z: 0}\n"
#define NODES6 NODES5 "  - {id: 6, x: 150, y: 0, z: 0}\n"

static const char chain[] = "format: havoc-network 1\n"
                            "defaults: {E: 1 MPa, zeta: 2}\n" NODES5 "inlets: [{node: 1}]\n"
                            "vessels:\n"
                            "  - {name: s1, from: 1, to: 2, length: 30 mm, radius: 1.5 mm, h: 0.15 mm}\n"
                            "  - {name: s2, from: 3, to: 2, length: 25 mm, radius: 1.2 mm, h: 0.12 mm, zeta: 9}\n"
                            "  - {name: s3, from: 3, to: 4, length: 40 mm, radius: 1.0 mm, h: 0.1 mm}\n"
                            "  - {name: s4, from: 5, to: 4, length: 20 mm, radius: 0.8 mm, h: 0.08 mm, outlet: {model: resistance, R: 3e9, p_out: 1 kPa}}\n";

static const char parallel[] = "format: havoc-network 1\n"
                               "defaults: {E: 1 MPa, zeta: 2}\n" NODES4 "inlets: [{node: 1}]\n"
                               "vessels:\n"
                               "  - {name: a, from: 1, to: 2, length: 30 mm, radius: 1.5 mm, h: 0.15 mm}\n"
                               "  - {name: b, from: 2, to: 3, length: 40 mm, radius: 1.0 mm, h: 0.1 mm}\n"
                               "  - {name: c, from: 3, to: 2, length: 55 mm, radius: 1.2 mm, h: 0.12 mm, zeta: 9}\n"
                               "  - {name: d, from: 3, to: 4, length: 20 mm, radius: 1.1 mm, h: 0.11 mm, outlet: {model: wk3, R1: 2e8, R2: 2e9, C: 1e-10, p_out: 500 Pa}}\n";

/* The loop network of val_steady. */
static const char loop[] = VAL_LOOP;

static const char tapered[] = "format: havoc-network 1\n"
                              "defaults: {E: 1 MPa, zeta: 2}\n" NODES4 "inlets: [{node: 1}]\n"
                              "vessels:\n"
                              "  - {name: t1, from: 1, to: 2, length: 50 mm, radius_prox: 2.0 mm, radius_dist: 1.0 mm, h: 0.15 mm}\n"
                              "  - {name: t2, from: 3, to: 2, length: 40 mm, radius_prox: 0.6 mm, radius_dist: 1.4 mm, h: 0.1 mm, outlet: {model: resistance, R: 2e9, p_out: 300 Pa}}\n"
                              "  - {name: t3, from: 2, to: 4, length: 30 mm, radius_prox: 1.2 mm, radius_dist: 1.2000000012 mm, h: 0.1 mm, zeta: 9, outlet: {model: wk3, R1: 1e8, R2: 3e9, C: 1e-10}}\n";

static const char star[] = "format: havoc-network 1\n"
                           "defaults: {E: 1 MPa, zeta: 2}\n" NODES6 "inlets: [{node: 1}, {node: 6, scale: 0.5}]\n"
                           "vessels:\n"
                           "  - {name: p, from: 1, to: 2, length: 40 mm, radius: 2.0 mm, h: 0.2 mm}\n"
                           "  - {name: q, from: 2, to: 6, length: 30 mm, radius: 1.2 mm, h: 0.12 mm}\n"
                           "  - {name: o1, from: 2, to: 3, length: 25 mm, radius: 1.0 mm, h: 0.1 mm, outlet: {model: resistance, R: 4e9}}\n"
                           "  - {name: o2, from: 4, to: 2, length: 35 mm, radius: 1.3 mm, h: 0.13 mm, zeta: 9, outlet: {model: wk3, R1: 3e8, R2: 5e9, C: 1e-10, p_out: 1 kPa}}\n"
                           "  - {name: o3, from: 2, to: 5, length: 20 mm, radius: 0.9 mm, h: 0.09 mm, outlet: {model: wk3, R1: 1e8, R2: 3e9, C: 1e-10, p_out: 1.5 kPa}}\n";

static PetscErrorCode Kirchhoffs(void)
{
  const char *label[] = {"series chain", "parallel pair", "loop, mixed orientation", "tapered vessels", "junction of degree 5, 2 inlets"};
  const char *text[]  = {chain, parallel, loop, tapered, star};
  PetscReal   eqmax = 0, epmax = 0;
  PetscInt    itsmax = 0;

  PetscFunctionBeginUser;
  printf("  Kirchhoff's laws, flows and node pressures:\n");
  for (int c = 0; c < 5; c++) {
    Run r;
    PetscCall(RunCreate(label[c], text[c], &r));
    for (int pressure = 0; pressure < 2; pressure++) {
      PetscReal eq = 0, ep = 0, p[MAXN], Q[MAXN];
      PetscInt  its;
      PetscCall(Compare(&r, (PetscBool)pressure, pressure ? 12e3 : 1e-6, NULL, NULL, &eq, &ep, &its, p, Q));
      printf("    %-32s %-14s Q[0] = %.6e m^3/s, p(inlet) = %9.3f Pa: errors %.1e (flow) %.1e (pressure), %" PetscInt_FMT " Newton step\n", label[c], pressure ? "pressure inlet" : "flow inlet", (double)Q[0], (double)p[r.mesh->inlets[0].node], (double)eq, (double)ep, its);
      eqmax  = ValMax(eqmax, eq);
      epmax  = ValMax(epmax, ep);
      itsmax = PetscMax(itsmax, its);
    }
    PetscCall(RunDestroy(&r));
  }
  ValCheck((PetscBool)(eqmax <= 1e-10), "flows vs Kirchhoff (10 cases)", "largest error %.1e of the largest flow (bound 1e-10)", (double)eqmax);
  ValCheck((PetscBool)(epmax <= 1e-10), "node pressures vs Kirchhoff", "largest error %.1e of the largest pressure (bound 1e-10)", (double)epmax);
  ValCheck((PetscBool)(itsmax == 1), "rigid network is linear", "at most %" PetscInt_FMT " Newton step (expected 1)", itsmax);
  PetscFunctionReturn(0);
}

/* A tree with a subtree behind vessel b, and a loop 2-7-8-11-9-2 whose segment 8-11 lies between the
   blocked vessels g and m. */
static const char occluded[] = "format: havoc-network 1\n"
                               "defaults: {E: 1 MPa, zeta: 2}\n"
                               "nodes:\n"
                               "  - {id: 1, x: 0, y: 0, z: 0}\n"
                               "  - {id: 2, x: 30, y: 0, z: 0}\n"
                               "  - {id: 3, x: 60, y: 20, z: 0}\n"
                               "  - {id: 4, x: 90, y: 30, z: 0}\n"
                               "  - {id: 5, x: 90, y: 10, z: 0}\n"
                               "  - {id: 6, x: 60, y: 0, z: 0}\n"
                               "  - {id: 7, x: 50, y: -20, z: 0}\n"
                               "  - {id: 8, x: 70, y: -30, z: 0}\n"
                               "  - {id: 9, x: 60, y: -60, z: 0}\n"
                               "  - {id: 10, x: 90, y: -60, z: 0}\n"
                               "  - {id: 11, x: 80, y: -50, z: 0}\n"
                               "inlets: [{node: 1}]\n"
                               "vessels:\n"
                               "  - {name: a, from: 1, to: 2, length: 30 mm, radius: 2.0 mm, h: 0.2 mm}\n"
                               "  - {name: b, from: 2, to: 3, length: 35 mm, radius: 1.2 mm, h: 0.12 mm}\n"
                               "  - {name: c, from: 3, to: 4, length: 30 mm, radius: 0.9 mm, h: 0.09 mm, outlet: {model: resistance, R: 5e9, p_out: 800 Pa}}\n"
                               "  - {name: d, from: 5, to: 3, length: 30 mm, radius: 0.8 mm, h: 0.08 mm, outlet: {model: wk3, R1: 1e8, R2: 4.9e9, C: 1e-10, p_out: 800 Pa}}\n"
                               "  - {name: e, from: 2, to: 6, length: 30 mm, radius: 1.0 mm, h: 0.1 mm, outlet: {model: resistance, R: 6e9}}\n"
                               "  - {name: f, from: 2, to: 7, length: 25 mm, radius: 1.1 mm, h: 0.11 mm}\n"
                               "  - {name: g, from: 7, to: 8, length: 25 mm, radius: 1.0 mm, h: 0.1 mm}\n"
                               "  - {name: h, from: 8, to: 11, length: 20 mm, radius: 0.9 mm, h: 0.09 mm}\n"
                               "  - {name: m, from: 11, to: 9, length: 20 mm, radius: 0.9 mm, h: 0.09 mm}\n"
                               "  - {name: i, from: 2, to: 9, length: 60 mm, radius: 1.3 mm, h: 0.13 mm}\n"
                               "  - {name: k, from: 9, to: 10, length: 30 mm, radius: 1.0 mm, h: 0.1 mm, outlet: {model: resistance, R: 5e9}}\n";

/* Calls fn expecting a user-input error; prints its message. */
static PetscErrorCode ExpectUserError(PetscErrorCode (*fn)(void *), void *ctx, const char what[], const char must[])
{
  PetscErrorCode ierr;
  char          *msg = NULL, *at = NULL;

  PetscFunctionBeginUser;
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = fn(ctx);
  PetscCall(PetscPopErrorHandler());
  if (ierr) {
    PetscCall(PetscErrorMessage(ierr, NULL, &msg));
    if (msg) PetscCall(PetscStrstr(msg, must, &at));
  }
  ValCheck((PetscBool)(ierr == PETSC_ERR_USER_INPUT && at), what, "error %d: \"%s\"", (int)ierr, msg ? msg : "(none)");
  PetscFunctionReturn(0);
}

static PetscErrorCode SolveRun(void *ctx)
{
  return SteadySolve(((Run *)ctx)->s);
}

static PetscErrorCode SetUpReflection(void *ctx)
{
  Run *r = (Run *)ctx;
  return SteadySetUp(r->s);
}

static PetscErrorCode Occlusions(void)
{
  Run             r;
  PetscReal       Rx[MAXN] = {0}, eq = 0, ep = 0, p[MAXN], Q[MAXN], qdead = 0, eqmax = 0, epmax = 0, dpdead = 0;
  PetscBool       pin[MAXN] = {PETSC_FALSE};
  PetscInt        its, a, b, c, d, g, h, m, e, f, iv;
  const PetscReal inf = PETSC_INFINITY;

  PetscFunctionBeginUser;
  printf("  occlusions:\n");
  PetscCall(RunCreate("occluded network (inline)", occluded, &r));
  PetscCall(HavocMeshFindVessel(r.mesh, "a", &a));
  PetscCall(HavocMeshFindVessel(r.mesh, "b", &b));
  PetscCall(HavocMeshFindVessel(r.mesh, "c", &c));
  PetscCall(HavocMeshFindVessel(r.mesh, "d", &d));
  PetscCall(HavocMeshFindVessel(r.mesh, "e", &e));
  PetscCall(HavocMeshFindVessel(r.mesh, "f", &f));
  PetscCall(HavocMeshFindVessel(r.mesh, "g", &g));
  PetscCall(HavocMeshFindVessel(r.mesh, "h", &h));
  PetscCall(HavocMeshFindVessel(r.mesh, "m", &m));
  PetscCall(HavocMeshFindVessel(r.mesh, "i", &iv));
  /* a finite occlusion first: still plain Kirchhoff */
  Rx[iv] = 3e9;
  PetscCall(Compare(&r, PETSC_FALSE, 1e-6, Rx, NULL, &eq, &ep, &its, p, Q));
  printf("    %-48s errors %.1e (flow) %.1e (pressure)\n", "vessel i with a series resistance of 3e9 Pa s/m^3", (double)eq, (double)ep);
  eqmax                        = ValMax(eqmax, eq);
  epmax                        = ValMax(epmax, ep);
  Rx[iv]                       = 0;
  Rx[b]                        = inf;
  Rx[g]                        = inf;
  Rx[m]                        = inf;
  pin[r.mesh->vessels[h].from] = pin[r.mesh->vessels[h].to] = PETSC_TRUE;
  for (int pressure = 0; pressure < 2; pressure++) {
    PetscCall(Compare(&r, (PetscBool)pressure, pressure ? 12e3 : 1e-6, Rx, pin, &eq, &ep, &its, p, Q));
    eqmax = ValMax(eqmax, eq);
    epmax = ValMax(epmax, ep);
    /* behind b, and the segment between g and m: no flow; the segment at the pressure of node 7 across g */
    qdead  = ValMax(qdead, ValMax(ValMax(PetscAbsReal(Q[b]), PetscAbsReal(Q[c])), ValMax(PetscAbsReal(Q[d]), PetscAbsReal(Q[h]))) / PetscAbsReal(Q[a]));
    qdead  = ValMax(qdead, ValMax(PetscAbsReal(Q[g]), PetscAbsReal(Q[m])) / PetscAbsReal(Q[a]));
    dpdead = ValMax(dpdead, ValMax(PetscAbsReal(p[r.mesh->vessels[h].from] - p[r.mesh->vessels[g].from]), PetscAbsReal(p[r.mesh->vessels[h].to] - p[r.mesh->vessels[g].from])));
    printf("    b, g, m blocked, %-14s                 errors %.1e (flow) %.1e (pressure); subtree at %.6f Pa; segment 8-11 at %.6f, %.6f Pa (node 7: %.6f Pa)\n", pressure ? "pressure inlet" : "flow inlet", (double)eq, (double)ep, (double)p[r.mesh->vessels[b].to], (double)p[r.mesh->vessels[h].from], (double)p[r.mesh->vessels[h].to],
           (double)p[r.mesh->vessels[g].from]);
  }
  ValCheck((PetscBool)(eqmax <= 1e-10 && epmax <= 1e-10), "open part of an occluded network vs Kirchhoff", "errors %.1e (flow), %.1e (pressure) (bound 1e-10)", (double)eqmax, (double)epmax);
  ValCheck((PetscBool)(qdead <= 1e-14), "no flow behind blocked vessels", "largest |Q| %.1e of the inflow (bound 1e-14)", (double)qdead);
  ValCheck((PetscBool)(dpdead <= 1e-9), "closed segment at its neighbour's pressure", "|p(8), p(11) - p(7)| <= %.1e Pa (bound 1e-9 Pa)", (double)dpdead);

  /* cut off the inlet: with a flow it is an error; without one the inlet node takes the pressure of the
     node across the blocked vessel, and the outlets at different venous pressures still exchange blood */
  Rx[b] = Rx[g] = Rx[m] = 0;
  Rx[a]                 = inf;
  PetscCall(SteadySetInlet(r.s, PETSC_FALSE, 1e-6));
  for (PetscInt i = 0; i < r.mesh->nvessels; i++)
    PetscCall(SteadySetVesselResistance(r.s, i, Rx[i]));
  PetscCall(ExpectUserError(SolveRun, &r, "inflow with nowhere to go is an error", "has nowhere to go"));
  PetscCall(PetscArrayzero(pin, MAXN));
  pin[r.mesh->vessels[a].from] = PETSC_TRUE;
  PetscCall(Compare(&r, PETSC_FALSE, 0, Rx, pin, &eq, &ep, &its, p, Q));
  ValCheck((PetscBool)(eq <= 1e-10 && ep <= 1e-10 && PetscAbsReal(Q[a]) <= 1e-12 * PetscAbsReal(Q[c]) && PetscAbsReal(p[r.mesh->vessels[a].from] - p[r.mesh->vessels[a].to]) <= 1e-9), "inlet cut off, no inflow", "errors %.1e (flow) %.1e (pressure) of the outlets' exchange (%.3e m^3/s through c); Q(a) = %.1e m^3/s, inlet %.1e Pa from node 2 (bounds 1e-10, 1e-12 of the exchange, 1e-9 Pa)", (double)eq, (double)ep, (double)Q[c], (double)Q[a], (double)(p[r.mesh->vessels[a].from] - p[r.mesh->vessels[a].to]));
  PetscCall(RunDestroy(&r));

  {
    /* a closed outlet (R2 = inf, which a network file cannot state): no part of the network drains */
    static const char closed[] = "format: havoc-network 1\n"
                                 "nodes: [{id: 1, x: 0, y: 0, z: 0}, {id: 2, x: 60, y: 0, z: 0}, {id: 3, x: 90, y: 0, z: 0}]\n"
                                 "inlets: [{node: 1}]\n"
                                 "vessels:\n"
                                 "  - {name: a, from: 1, to: 2, length: 60 mm, radius: 1.2 mm, E: 1 MPa, h: 0.12 mm}\n"
                                 "  - {name: b, from: 2, to: 3, length: 30 mm, radius: 1.0 mm, E: 1 MPa, h: 0.1 mm, outlet: {model: wk3, R1: 1e8, R2: 1e9, C: 1e-10, p_out: 700 Pa}}\n";
    const PetscReal  *q, *p0, *pL;
    PetscCall(RunCreate("closed (inline)", closed, &r));
    r.mesh->vessels[1].outlet_param[1] = PETSC_INFINITY;
    PetscCall(SteadySetInlet(r.s, PETSC_FALSE, 2e-6));
    PetscCall(ExpectUserError(SolveRun, &r, "inflow into a closed network is an error", "has nowhere to go"));
    PetscCall(SteadySetInlet(r.s, PETSC_FALSE, 0));
    PetscCall(SteadySolve(r.s));
    PetscCall(SteadyGetSolution(r.s, &q, &p0, &pL));
    {
      const PetscReal dp = ValMax(ValMax(PetscAbsReal(p0[0] - 700), PetscAbsReal(p0[1] - 700)), PetscAbsReal(pL[1] - 700));
      ValCheck((PetscBool)(q[0] == 0 && q[1] == 0 && dp <= 1e-9), "closed network at rest", "Q = %.1e, %.1e m^3/s; |p - 700 Pa| <= %.1e Pa at the 3 nodes (expected 0 and the venous pressure, bound 1e-9 Pa)", (double)q[0], (double)q[1], (double)dp);
    }
    PetscCall(RunDestroy(&r));
  }
  {
    static const char refl[] = "format: havoc-network 1\n"
                               "nodes: [{id: 1, x: 0, y: 0, z: 0}, {id: 2, x: 60, y: 0, z: 0}]\n"
                               "inlets: [{node: 1}]\n"
                               "vessels:\n"
                               "  - {name: tube, from: 1, to: 2, length: 60 mm, radius: 1.2 mm, E: 1 MPa, h: 0.12 mm, outlet: {model: reflection, Rt: 0}}\n";
    PetscCall(RunCreate("reflection.yaml", refl, &r));
    PetscCall(ExpectUserError(SetUpReflection, &r, "reflection outlet has no steady equivalent", "vessel 'tube'"));
    PetscCall(RunDestroy(&r));
  }
  PetscFunctionReturn(0);
}

/* The loop network with soft walls at a zero-pressure reference (the lumen widens by about 15 % at 10 kPa);
   %s is the Young's modulus. */
static const char soft_fmt[] = VAL_LOOP_HEAD("%s") "  - {name: a, from: 1, to: 2, length: 40 mm, radius_prox: 1.5 mm, radius_dist: 1.3 mm, h: 0.15 mm}\n" VAL_LOOP_B "  - {name: c, from: 4, to: 2, length: 50 mm, radius_prox: 1.0 mm, radius_dist: 1.2 mm, h: 0.12 mm}\n" VAL_LOOP_DE
                                                   "  - {name: f, from: 5, to: 6, length: 30 mm, radius: 1.1 mm, h: 0.11 mm, outlet: {model: resistance, R: 5e8, p_out: 8 kPa}}\n"
                                                   "  - {name: g, from: 3, to: 7, length: 35 mm, radius: 0.8 mm, h: 0.08 mm, outlet: {model: resistance, R: 1e9, p_out: 8 kPa}}\n";

/* Steady flows and node pressures of the soft loop for a wall modulus E (text with its unit); with rate,
   prints the residual norms of the compliant Newton solve and estimates its order from the last three. */
static PetscErrorCode SoftLoop(const char E[], PetscBool compliant, PetscReal Q[], PetscReal p[], PetscInt *its, PetscReal *rate)
{
  char             text[4096];
  Run              r;
  SNES             snes;
  const PetscReal *q, *p0, *pL;
  PetscInt         n = 0;
  PetscReal        hist[64];

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(text, sizeof(text), soft_fmt, E));
  PetscCall(RunCreate("soft loop (inline)", text, &r));
  PetscCall(SteadySetInlet(r.s, PETSC_TRUE, 13e3));
  PetscCall(SteadySetCompliant(r.s, compliant));
  PetscCall(SteadyGetSNES(r.s, &snes));
  PetscCall(SNESSetConvergenceHistory(snes, hist, NULL, 64, PETSC_TRUE));
  PetscCall(SteadySolve(r.s));
  PetscCall(SNESGetConvergenceHistory(snes, NULL, NULL, &n));
  PetscCall(SteadyGetIterations(r.s, its));
  PetscCall(SteadyGetSolution(r.s, &q, &p0, &pL));
  PetscCall(PetscArraycpy(Q, q, r.mesh->nvessels));
  NodePressures(r.mesh, p0, pL, p);
  if (rate) {
    /* the history is that of the last SNESSolve: the compliant one (the rigid start is a solve of its own) */
    *rate = 0;
    if (n >= 4) *rate = PetscLogReal(hist[n - 2] / hist[n - 3]) / PetscLogReal(hist[n - 3] / hist[n - 4]);
    printf("    Newton residual norms [Pa]:");
    for (PetscInt k = 0; k < n; k++)
      printf(" %.2e", (double)hist[k]);
    printf("\n");
  }
  PetscCall(RunDestroy(&r));
  PetscFunctionReturn(0);
}

/* The steady solution of a uniform compliant vessel: A^2 dp/dx = -rho K_R Q with sqrt(A) linear in p
   integrates to Q = K (s0^5 - sL^5) / (5 rho K_R L), s = sqrt(A) at the two ends. */
static PetscReal ExactCompliantFlow(const HavocMeshVessel *v, PetscReal mu, PetscReal p0, PetscReal pL)
{
  HavocTube       t;
  PetscReal       s0, sL;
  const PetscReal rhoKR = 2 * (v->zeta + 2) * PETSC_PI * mu;

  NetworkVesselTube(v, 0, &t);
  s0 = HavocTubeSqrtArea(&t, p0);
  sL = HavocTubeSqrtArea(&t, pL);
  return t.K * (PetscPowRealInt(s0, 5) - PetscPowRealInt(sL, 5)) / (5 * rhoKR * v->length);
}

/* The end pressure of a vessel carrying Q from pressure p0 at x = 0: dp/dx = -rho K_R Q / A(x, p)^2 by the
   classical Runge-Kutta method with 20000 steps, an independent reference for tapered compliant vessels. */
static PetscReal ShootCompliant(const HavocMeshVessel *v, PetscReal mu, PetscReal Q, PetscReal p0)
{
  const PetscInt  n = 20000;
  const PetscReal h = v->length / n, rhoKR = 2 * (v->zeta + 2) * PETSC_PI * mu;
  PetscReal       p = p0;
  PetscReal       x = 0;

  for (PetscInt k = 0; k < n; k++, x += h) {
    PetscReal kk[4], xs[4] = {x, x + h / 2, x + h / 2, x + h}, ps = p;
    for (int st = 0; st < 4; st++) {
      HavocTube t;
      PetscReal A;
      NetworkVesselTube(v, xs[st], &t);
      A      = HavocTubeArea(&t, ps);
      kk[st] = -rhoKR * Q / (A * A);
      ps     = p + (st < 2 ? h / 2 : h) * kk[st];
    }
    p += h / 6 * (kk[0] + 2 * kk[1] + 2 * kk[2] + kk[3]);
  }
  return p;
}

/* A single soft vessel, uniform or tapered, from 15 kPa into an outlet at 5 kPa: the lumen narrows by about
   a quarter along it. */
static const char compliant_tube[]  = "format: havoc-network 1\n"
                                      "nodes: [{id: 1, x: 0, y: 0, z: 0}, {id: 2, x: 100, y: 0, z: 0}]\n"
                                      "inlets: [{node: 1}]\n"
                                      "vessels:\n"
                                      "  - {name: uniform, from: 1, to: 2, length: 100 mm, radius: 1 mm, E: 300 kPa, h: 0.1 mm, zeta: 2, outlet: {model: resistance, R: 1e6, p_out: 5 kPa}}\n";
static const char compliant_taper[] = "format: havoc-network 1\n"
                                      "nodes: [{id: 1, x: 0, y: 0, z: 0}, {id: 2, x: 100, y: 0, z: 0}]\n"
                                      "inlets: [{node: 1}]\n"
                                      "vessels:\n"
                                      "  - {name: taper, from: 1, to: 2, length: 100 mm, radius_prox: 1.4 mm, radius_dist: 0.8 mm, E: 300 kPa, h: 0.1 mm, zeta: 2, outlet: {model: resistance, R: 1e6, p_out: 5 kPa}}\n";

static PetscErrorCode Compliant(void)
{
  PetscReal        Qr[MAXN], pr[MAXN], Qc[MAXN], pc[MAXN], Qs[MAXN], ps[MAXN], rate = 0, dev[2], Qx, delta, err;
  PetscInt         its_r, its_c, its_s;
  Run              r;
  const PetscReal *q, *p0, *pL;
  HavocTube        t;

  PetscFunctionBeginUser;
  printf("  compliant lumen (SteadySetCompliant, -steady_compliant):\n");
  PetscCall(SoftLoop("500 kPa", PETSC_FALSE, Qr, pr, &its_r, NULL));
  PetscCall(SoftLoop("500 kPa", PETSC_TRUE, Qc, pc, &its_c, &rate));
  ValCheck((PetscBool)(its_c <= 8 && rate > 1.6), "soft loop (E 500 kPa), 13 kPa inlet", "%" PetscInt_FMT " Newton iterations (1 rigid + %" PetscInt_FMT " compliant), order %.2f; inflow %.4f x the rigid one (bounds 8 iterations, order > 1.6)", its_c, its_c - 1, (double)rate, (double)(Qc[0] / Qr[0]));
  for (int k = 0; k < 2; k++) {
    const char *E[2] = {"1e12 Pa", "1e15 Pa"};
    PetscCall(SoftLoop(E[k], PETSC_TRUE, Qs, ps, &its_s, NULL));
    dev[k] = 0;
    for (PetscInt i = 0; i < 7; i++)
      dev[k] = ValMax(dev[k], PetscAbsReal(Qs[i] - Qr[i]) / PetscAbsReal(Qr[0]));
    for (PetscInt n = 0; n < 7; n++)
      dev[k] = ValMax(dev[k], PetscAbsReal(ps[n] - pr[n]) / 13e3);
  }
  ValCheck((PetscBool)(dev[1] <= 1e-9), "compliant with a huge E vs rigid", "largest difference %.1e at E = 1e12 Pa, %.1e at 1e15 Pa (flows of the inflow, pressures of the inlet's; bound 1e-9)", (double)dev[0], (double)dev[1]);

  PetscCall(RunCreate("compliant tube (inline)", compliant_tube, &r));
  PetscCall(SteadySetInlet(r.s, PETSC_TRUE, 15e3));
  PetscCall(SteadySetCompliant(r.s, PETSC_TRUE));
  PetscCall(SteadySolve(r.s));
  PetscCall(SteadyGetSolution(r.s, &q, &p0, &pL));
  Qx = ExactCompliantFlow(&r.mesh->vessels[0], 4e-3, p0[0], pL[0]);
  NetworkVesselTube(&r.mesh->vessels[0], 0, &t);
  delta = (HavocTubeSqrtArea(&t, p0[0]) - HavocTubeSqrtArea(&t, pL[0])) / t.sqrtAr;
  err   = PetscAbsReal(q[0] / Qx - 1);
  ValCheck((PetscBool)(err <= 1e-6), "uniform compliant vessel vs its exact solution", "Q = %.9e m^3/s, exact %.9e for the same end pressures (%.0f, %.0f Pa), sqrt(A) varies by %.1f %%: error %.1e (bound 1e-6)", (double)q[0], (double)Qx, (double)p0[0], (double)pL[0], 100 * (double)delta, (double)err);
  PetscCall(RunDestroy(&r));
  PetscCall(RunCreate("compliant taper (inline)", compliant_taper, &r));
  PetscCall(SteadySetInlet(r.s, PETSC_TRUE, 15e3));
  PetscCall(SteadySetCompliant(r.s, PETSC_TRUE));
  PetscCall(SteadySolve(r.s));
  PetscCall(SteadyGetSolution(r.s, &q, &p0, &pL));
  {
    const PetscReal pref = ShootCompliant(&r.mesh->vessels[0], 4e-3, q[0], p0[0]);
    err                  = PetscAbsReal(pL[0] - pref) / (p0[0] - pL[0]);
    ValCheck((PetscBool)(err <= 1e-4), "tapered compliant vessel (1.4 to 0.8 mm) vs ODE", "p(L) = %.4f Pa, 20000 Runge-Kutta steps %.4f Pa for the same Q and p(0): %.1e of the drop (bound 1e-4)", (double)pL[0], (double)pref, (double)err);
  }
  PetscCall(RunDestroy(&r));
  PetscFunctionReturn(0);
}

/* The soft loop at the scale of facial arteries (radii 0.4 to 0.75 mm): flows of a few mL/min, velocities of
   a few cm/s, so that the convective terms of the pulsatile solver, which the steady model leaves out, stay
   small, while the lumen still widens by about 12 % at 8 kPa. */
static const char facial[] = "format: havoc-network 1\n"
                             "defaults: {E: 500 kPa, zeta: 2}\n"
                             "nodes:\n"
                             "  - {id: 1, x: 0, y: 0, z: 0}\n"
                             "  - {id: 2, x: 40, y: 0, z: 0}\n"
                             "  - {id: 3, x: 70, y: 10, z: 0}\n"
                             "  - {id: 4, x: 70, y: -30, z: 0}\n"
                             "  - {id: 5, x: 90, y: -10, z: 0}\n"
                             "  - {id: 6, x: 120, y: -10, z: 0}\n"
                             "  - {id: 7, x: 100, y: 30, z: 0}\n"
                             "inlets: [{node: 1}]\n"
                             "vessels:\n"
                             "  - {name: a, from: 1, to: 2, length: 40 mm, radius_prox: 0.75 mm, radius_dist: 0.65 mm, h: 0.075 mm}\n"
                             "  - {name: b, from: 2, to: 3, length: 30 mm, radius: 0.5 mm, h: 0.05 mm}\n"
                             "  - {name: c, from: 4, to: 2, length: 50 mm, radius_prox: 0.5 mm, radius_dist: 0.6 mm, h: 0.06 mm}\n"
                             "  - {name: d, from: 3, to: 5, length: 20 mm, radius: 0.45 mm, h: 0.045 mm}\n"
                             "  - {name: e, from: 5, to: 4, length: 25 mm, radius: 0.5 mm, h: 0.05 mm}\n"
                             "  - {name: f, from: 5, to: 6, length: 30 mm, radius: 0.55 mm, h: 0.055 mm, outlet: {model: resistance, R: 1.5e10, p_out: 8 kPa}}\n"
                             "  - {name: g, from: 3, to: 7, length: 35 mm, radius: 0.4 mm, h: 0.04 mm, outlet: {model: resistance, R: 3e10, p_out: 8 kPa}}\n";

/* The steady solution of a network (file or text) on its own Network. */
static PetscErrorCode SteadyOf(const char label[], const char text[], PetscBool pressure, PetscReal value, PetscBool compliant, PetscReal Q[], PetscReal p0[], PetscReal pL[])
{
  HavocMesh        mesh;
  Network          net;
  Steady           s;
  const PetscReal *q, *a, *b;

  PetscFunctionBeginUser;
  if (text) PetscCall(HavocMeshReadString(PETSC_COMM_WORLD, label, text, &mesh));
  else PetscCall(HavocMeshRead(PETSC_COMM_WORLD, label, &mesh));
  PetscCall(NetworkCreate(PETSC_COMM_WORLD, mesh, &net));
  PetscCall(NetworkSetUp(net));
  PetscCall(SteadyCreate(net, &s));
  PetscCall(SteadySetBlood(s, 1060, 4e-3, -1));
  PetscCall(SteadySetInlet(s, pressure, value));
  PetscCall(SteadySetCompliant(s, compliant));
  PetscCall(SteadySolve(s));
  PetscCall(SteadyGetSolution(s, &q, &a, &b));
  PetscCall(PetscArraycpy(Q, q, mesh->nvessels));
  PetscCall(PetscArraycpy(p0, a, mesh->nvessels));
  PetscCall(PetscArraycpy(pL, b, mesh->nvessels));
  PetscCall(SteadyDestroy(&s));
  PetscCall(NetworkDestroy(&net));
  PetscCall(HavocMeshDestroy(&mesh));
  PetscFunctionReturn(0);
}

/* The pulsatile run at its last sample against steady solutions: the flow at every midpoint (relative to
   the inflow) and the pressure at both ends of every vessel (relative to itself). Also the change of those
   over the last 0.3 s, which shows that the run is steady. */
static PetscErrorCode AgainstPulsatile(ValRun *r, PetscReal qin, PetscInt nsteady, const char *name[], PetscReal *Q[], PetscReal *p0[], PetscReal *pL[], PetscReal err[])
{
  HavocMesh m     = r->mesh;
  PetscReal drift = 0;

  PetscFunctionBeginUser;
  for (PetscInt k = 0; k < nsteady; k++)
    err[k] = 0;
  for (PetscInt i = 0; i < m->nvessels; i++) {
    PetscInt         n;
    const PetscReal *t;
    PetscReal       *p[3], *q[3], *a[3];
    for (PetscInt f = 0; f < 3; f++)
      PetscCall(ValRunSeries(r, m->vessels[i].name, f, &n, &t, &p[f], &q[f], &a[f]));
    for (PetscInt k = 0; k < nsteady; k++) {
      err[k] = ValMax(err[k], PetscAbsReal(q[1][n - 1] - Q[k][i]) / qin);
      err[k] = ValMax(err[k], PetscAbsReal(p[0][n - 1] - p0[k][i]) / p0[k][i]);
      err[k] = ValMax(err[k], PetscAbsReal(p[2][n - 1] - pL[k][i]) / pL[k][i]);
    }
    drift = ValMax(drift, PetscAbsReal(q[1][n - 1] - q[1][n - 31]) / qin);
    drift = ValMax(drift, PetscAbsReal(p[0][n - 1] - p[0][n - 31]) / p[0][n - 1]);
    printf("    %-12s pulsatile Q = %.6e m^3/s, p = %9.3f .. %9.3f Pa; steady", m->vessels[i].name, (double)q[1][n - 1], (double)p[0][n - 1], (double)p[2][n - 1]);
    for (PetscInt k = 0; k < nsteady; k++)
      printf(" (%s) %.6e, %9.3f .. %9.3f", name[k], (double)Q[k][i], (double)p0[k][i], (double)pL[k][i]);
    printf("\n");
    for (PetscInt f = 0; f < 3; f++)
      PetscCall(PetscFree3(p[f], q[f], a[f]));
  }
  printf("    pulsatile change over the last 0.3 s: %.1e (relative)\n", (double)drift);
  PetscFunctionReturn(0);
}

static PetscErrorCode Pulsatile(void)
{
  const char *bif = "meshes/benchmarks/boileau-bifurcation.yaml", *names[2] = {"rigid", "compliant"};
  PetscReal   Q[2][MAXN], p0[2][MAXN], pL[2][MAXN], *Qs[2] = {Q[0], Q[1]}, *p0s[2] = {p0[0], p0[1]}, *pLs[2] = {pL[0], pL[1]}, err[2], pc = 0;
  char        opts[1024];
  ValRun      r;
  HavocMesh   m;
  PetscInt    nout = 0;

  PetscFunctionBeginUser;
  printf("  against the pulsatile solver at steady state (constant inflow, static junction pressure):\n");
  for (int c = 0; c < 2; c++)
    PetscCall(SteadyOf(bif, NULL, PETSC_FALSE, 8e-6, (PetscBool)c, Q[c], p0[c], pL[c]));
  /* start the pulsatile run with the Windkessel capacitors at their steady pressure p_out + Q R2: the run
     then settles within a few wave transits instead of several R2 C = 1.1 s */
  PetscCall(HavocMeshRead(PETSC_COMM_WORLD, bif, &m));
  for (PetscInt i = 0; i < m->nvessels; i++)
    if (m->vessels[i].outlet_node >= 0) {
      const PetscReal out = m->vessels[i].outlet_node == m->vessels[i].to ? Q[1][i] : -Q[1][i];
      pc += m->vessels[i].outlet_param[3] + out * m->vessels[i].outlet_param[1];
      nout++;
    }
  PetscCall(HavocMeshDestroy(&m));
  PetscCall(PetscSNPrintf(opts, sizeof(opts),
                          "inlet: {type: constant, value: 8 mL/s, ramp: 0.1 s}\n"
                          "hemo: {t_end: 10 s, junction_pressure: static, p0: %.17g Pa}\n"
                          "output: {probe_dt: 10 ms, probe_fractions: [0, 0.5, 1]}\n",
                          (double)(pc / nout)));
  PetscCall(ValRunCreate(bif, NULL, opts, &r));
  PetscCall(ValRunSolve(&r));
  PetscCall(AgainstPulsatile(&r, 8e-6, 2, names, Qs, p0s, pLs, err));
  ValCheck((PetscBool)(err[0] <= 0.005 && err[1] <= 0.005), "aortic bifurcation (Boileau), 8 mL/s", "largest difference %.4f %% (rigid), %.4f %% (compliant) (bound 0.5 %%)", 100 * (double)err[0], 100 * (double)err[1]);
  PetscCall(ValRunDestroy(&r));

  for (int c = 0; c < 2; c++)
    PetscCall(SteadyOf("facial loop (inline)", facial, PETSC_TRUE, 9e3, (PetscBool)c, Q[c], p0[c], pL[c]));
  PetscCall(ValRunCreate("facial loop (inline)", facial,
                         "inlet: {quantity: pressure, type: constant, value: 9 kPa, ramp: 50 ms}\n"
                         "hemo: {t_end: 1.5 s, junction_pressure: static, p0: 8 kPa}\n"
                         "output: {probe_dt: 10 ms, probe_fractions: [0, 0.5, 1]}\n",
                         &r));
  PetscCall(ValRunSolve(&r));
  PetscCall(AgainstPulsatile(&r, Q[1][0], 2, names, Qs, p0s, pLs, err));
  ValCheck((PetscBool)(err[1] <= 0.005), "facial-size soft loop, 9 kPa inlet", "largest difference %.4f %% (compliant; bound 0.5 %%), %.2f %% (rigid, for comparison)", 100 * (double)err[1], 100 * (double)err[0]);
  PetscCall(ValRunDestroy(&r));
  PetscFunctionReturn(0);
}

static PetscErrorCode Body(void)
{
  PetscFunctionBeginUser;
  PetscCall(Kirchhoffs());
  PetscCall(Occlusions());
  PetscCall(Compliant());
  PetscCall(Pulsatile());
  PetscFunctionReturn(0);
}

VAL_MAIN("validation: steady (cycle-averaged) network solver", Body)
