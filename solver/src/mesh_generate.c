/* Synthetic networks for tests and scaling runs: a random tree grown from one inlet, with anastomoses.

   A seed must give the same file on every machine, so the generator draws from an integer generator (rng.h)
   and computes with + - * / and sqrt only, which IEEE 754 rounds exactly (no libm cos, sin or cbrt, whose
   last bit differs between libraries). The tree is written as network text and read back, so a
   generated mesh is validated exactly like a file. */
#include "mesh.h"
#include "rng.h"

#include <string.h>

#define TREE_E        700e3 /* Young's modulus [Pa] */
#define TREE_H_RATIO  0.1   /* wall thickness over proximal radius */
#define TREE_TAPER    0.95  /* distal over proximal radius */
#define TREE_ZETA     9.0
#define TREE_RHO      1060.0 /* blood density the outlets are sized with [kg m^-3] */
#define TREE_RC       0.3    /* time constant R_total C of the outlets [s] */
#define TREE_RATIO_LO 0.6    /* radius of the smaller over the larger daughter */
/* A child turns by 20 to 50 degrees. With t = tan(angle / 2), cos = (1 - t^2) / (1 + t^2) and
   sin = 2 t / (1 + t^2) are rational, so t is drawn between tan(10 deg) and tan(25 deg). */
#define TAN_10_DEG 0.17632698070846498
#define TAN_25_DEG 0.46630765815499858

/* Cube root of a in [1, 2] by Newton's method from a fixed start and a fixed number of steps: from 1.26
   the error is below 0.2 and about squares at each step, so six steps reach machine precision. */
static PetscReal CubeRoot(PetscReal a)
{
  PetscReal x = 1.26;

  for (int it = 0; it < 6; it++)
    x -= (x * x * x - a) / (3 * x * x);
  return x;
}

typedef struct {
  HavocMesh  mesh;   /* filled here, then written as text and read back */
  PetscReal *dir;    /* unit direction of each tree vessel in the x-y plane */
  PetscInt  *adj;    /* the HAVOC_MAX_DEGREE neighbours of each node */
  PetscReal *r_min;  /* smallest radius of the vessel ends at each node */
  PetscInt  *active; /* terminal vessels (while growing), candidate nodes (while joining) */
  PetscInt  *partner;
} Tree;

static PetscErrorCode AddNode(Tree *t, PetscReal x, PetscReal y, PetscInt *index)
{
  HavocMeshNode *node = &t->mesh->nodes[t->mesh->nnodes];

  PetscFunctionBeginUser;
  node->id                  = t->mesh->nnodes + 1;
  node->x[0]                = x;
  node->x[1]                = y;
  node->landmark            = -1;
  t->r_min[t->mesh->nnodes] = PETSC_MAX_REAL;
  *index                    = t->mesh->nnodes++;
  PetscFunctionReturn(0);
}

static PetscErrorCode AddVessel(Tree *t, char kind, PetscInt number, PetscInt from, PetscInt to, PetscReal length, PetscReal r_prox, PetscReal r_dist)
{
  HavocMesh        mesh = t->mesh;
  HavocMeshVessel *v    = &mesh->vessels[mesh->nvessels++];

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(v->name, sizeof(v->name), "%c%" PetscInt_FMT, kind, number));
  v->from        = from;
  v->to          = to;
  v->length      = length;
  v->r_prox      = r_prox;
  v->r_dist      = r_dist;
  v->E           = TREE_E;
  v->h           = TREE_H_RATIO * r_prox;
  v->beta        = HavocTubeBeta(v->E, v->h);
  v->zeta        = TREE_ZETA;
  v->outlet_type = -1;

  t->r_min[from] = PetscMin(t->r_min[from], r_prox);
  t->r_min[to]   = PetscMin(t->r_min[to], r_dist);

  t->adj[HAVOC_MAX_DEGREE * from + mesh->nodes[from].degree++] = to;
  t->adj[HAVOC_MAX_DEGREE * to + mesh->nodes[to].degree++]     = from;
  PetscFunctionReturn(0);
}

/* Splits a random terminal vessel into two children (one when a single vessel remains to add) until the
   tree has its vessels; radii follow Murray's law r_p^3 = sum r_c^3. */
static PetscErrorCode Grow(Tree *t, const HavocTreeSpec *spec, HavocRng *rng, PetscInt *nterminals)
{
  HavocMesh mesh = t->mesh;
  PetscInt  n0, n1, nterm = 0;
  PetscReal length = HavocRngUniform(rng, spec->length_min, spec->length_max);

  PetscFunctionBeginUser;
  PetscCall(AddNode(t, 0, 0, &n0));
  PetscCall(AddNode(t, 0, -length, &n1));
  PetscCall(AddVessel(t, 'v', 1, n0, n1, length, spec->r_root, TREE_TAPER * spec->r_root));
  t->dir[0]          = 0;
  t->dir[1]          = -1;
  t->active[nterm++] = 0;
  while (mesh->nvessels < spec->nvessels) {
    const PetscInt  k = HavocRngIndex(rng, nterm), parent = t->active[k];
    const PetscInt  nchild = spec->nvessels - mesh->nvessels >= 2 ? 2 : 1;
    const PetscInt  at     = mesh->vessels[parent].to;
    const PetscReal r_p    = mesh->vessels[parent].r_dist;
    PetscReal       r[2] = {r_p, 0}, side = HavocRngIndex(rng, 2) ? 1 : -1;

    t->active[k] = t->active[--nterm];
    if (nchild == 2) {
      const PetscReal ratio = HavocRngUniform(rng, TREE_RATIO_LO, 1);
      r[0]                  = r_p / CubeRoot(1 + ratio * ratio * ratio);
      r[1]                  = ratio * r[0];
    }
    for (PetscInt c = 0; c < nchild; c++, side = -side) {
      const PetscReal  tan_half = HavocRngUniform(rng, TAN_10_DEG, TAN_25_DEG), q = 1 + tan_half * tan_half;
      const PetscReal  cs = (1 - tan_half * tan_half) / q, sn = side * 2 * tan_half / q;
      const PetscReal *dp = &t->dir[2 * parent];
      PetscReal       *dc = &t->dir[2 * mesh->nvessels];
      PetscInt         end;

      dc[0]  = cs * dp[0] - sn * dp[1];
      dc[1]  = sn * dp[0] + cs * dp[1];
      length = HavocRngUniform(rng, spec->length_min, spec->length_max);
      PetscCall(AddNode(t, mesh->nodes[at].x[0] + length * dc[0], mesh->nodes[at].x[1] + length * dc[1], &end));
      t->active[nterm++] = mesh->nvessels;
      PetscCall(AddVessel(t, 'v', mesh->nvessels + 1, at, end, length, r[c], TREE_TAPER * r[c]));
    }
  }
  *nterminals = nterm;
  PetscFunctionReturn(0);
}

/* Joins random pairs of distinct junctions (non-inlet nodes of degree >= 2) that are not yet neighbours,
   until spec->nloops are added or no such pair is left. */
static PetscErrorCode Join(Tree *t, const HavocTreeSpec *spec, HavocRng *rng, PetscInt *added)
{
  HavocMesh mesh = t->mesh;

  PetscFunctionBeginUser;
  for (*added = 0; *added < spec->nloops; (*added)++) {
    PetscInt ncand = 0, npartner = 0, a = -1;

    for (PetscInt n = 0; n < mesh->nnodes; n++)
      if (n != mesh->inlets[0].node && mesh->nodes[n].degree >= 2 && mesh->nodes[n].degree < HAVOC_MAX_DEGREE) t->active[ncand++] = n;
    while (ncand && !npartner) {
      const PetscInt k = HavocRngIndex(rng, ncand);

      a = t->active[k];
      for (PetscInt i = 0; i < ncand; i++) {
        const PetscInt b         = t->active[i];
        PetscBool      neighbour = PETSC_FALSE;
        for (PetscInt j = 0; j < mesh->nodes[a].degree; j++)
          if (t->adj[HAVOC_MAX_DEGREE * a + j] == b) neighbour = PETSC_TRUE;
        if (b != a && !neighbour) t->partner[npartner++] = b;
      }
      if (!npartner) t->active[k] = t->active[--ncand];
    }
    if (!npartner) break;
    {
      const PetscInt  b = t->partner[HavocRngIndex(rng, npartner)];
      const PetscReal r = 0.5 * PetscMin(t->r_min[a], t->r_min[b]);
      PetscCall(AddVessel(t, 'a', *added + 1, a, b, HavocRngUniform(rng, spec->length_min, spec->length_max), r, r));
    }
  }
  PetscFunctionReturn(0);
}

/* A three-element Windkessel at every terminal: terminal i takes the share r_i^3 / sum r_j^3 of the mean
   inflow at the mean pressure; R1 is the characteristic impedance rho c / A, which absorbs the waves that
   reach the outlet. */
static PetscErrorCode SizeOutlets(Tree *t, const HavocTreeSpec *spec, PetscInt nterminals)
{
  HavocMesh              mesh = t->mesh;
  const HavocOutletType *wk3;
  PetscInt               index;
  PetscReal              sum_r3 = 0;

  PetscFunctionBeginUser;
  PetscCall(HavocOutletFind("wk3", &index));
  PetscCall(HavocOutletGet(index, &wk3));
  for (PetscInt i = 0; i < nterminals; i++)
    sum_r3 += PetscPowRealInt(mesh->vessels[t->active[i]].r_dist, 3);
  for (PetscInt i = 0; i < nterminals; i++) {
    HavocMeshVessel *v       = &mesh->vessels[t->active[i]];
    const PetscReal  area    = PETSC_PI * v->r_dist * v->r_dist;
    const HavocTube  tube    = {v->beta / area, PetscSqrtReal(area), 0};
    const PetscReal  q       = spec->inflow_mean * PetscPowRealInt(v->r_dist, 3) / sum_r3;
    const PetscReal  total   = spec->pressure_mean / q;
    PetscReal        r1      = TREE_RHO * HavocTubeWaveSpeedS(&tube, TREE_RHO, tube.sqrtAr) / area;
    const char      *name[4] = {"R1", "R2", "C", "p_out"};
    PetscReal        value[4];

    if (!(total - r1 > 0.5 * total)) r1 = 0.1 * total;
    value[0] = r1;
    value[1] = total - r1;
    value[2] = TREE_RC / total;
    value[3] = 0;
    for (PetscInt k = 0; k < wk3->nparam; k++)
      for (PetscInt j = 0; j < 4; j++)
        if (!strcmp(wk3->param[k].name, name[j])) v->outlet_param[k] = value[j];
    v->outlet_type = index;
  }
  PetscFunctionReturn(0);
}

PetscErrorCode HavocTreeSpecDefault(HavocTreeSpec *spec)
{
  PetscFunctionBeginUser;
  spec->nvessels      = 50;
  spec->nloops        = 0;
  spec->seed          = 1;
  spec->r_root        = 3e-3;
  spec->length_min    = 10e-3;
  spec->length_max    = 40e-3;
  spec->inflow_mean   = 6.5e-6;
  spec->pressure_mean = 12e3;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocMeshGenerateTree(MPI_Comm comm, const HavocTreeSpec *spec, HavocMesh *mesh)
{
  Tree     t;
  HavocRng rng    = {spec->seed};
  PetscInt nnodes = spec->nvessels + 1, nterminals = 0, added = 0;
  char    *text;

  PetscFunctionBeginUser;
  HavocCheckUser(spec->nvessels >= 1, comm, "tree: needs at least 1 vessel, got %" PetscInt_FMT, spec->nvessels);
  HavocCheckUser(spec->nloops >= 0, comm, "tree: the number of loops must be >= 0, got %" PetscInt_FMT, spec->nloops);
  HavocCheckUser(spec->r_root > 0, comm, "tree: the root radius must be > 0");
  HavocCheckUser(spec->length_min > 0 && spec->length_min <= spec->length_max, comm, "tree: the vessel lengths must satisfy 0 < length_min <= length_max");
  HavocCheckUser(spec->inflow_mean > 0 && spec->pressure_mean > 0, comm, "tree: the mean inflow and the mean pressure must be > 0");
  PetscCall(HavocRegisterAll());
  PetscCall(PetscMemzero(&t, sizeof(t)));
  PetscCall(PetscNew(&t.mesh));
  PetscCall(PetscCalloc3(nnodes, &t.mesh->nodes, spec->nvessels + spec->nloops, &t.mesh->vessels, 1, &t.mesh->inlets));
  PetscCall(PetscMalloc5(2 * spec->nvessels, &t.dir, HAVOC_MAX_DEGREE * nnodes, &t.adj, nnodes, &t.r_min, nnodes, &t.active, nnodes, &t.partner));
  PetscCall(PetscSNPrintf(t.mesh->name, sizeof(t.mesh->name), "tree-%" PetscInt_FMT "-%" PetscInt_FMT "-%lu", spec->nvessels, spec->nloops, spec->seed));
  PetscCall(PetscSNPrintf(t.mesh->description, sizeof(t.mesh->description), "synthetic tree: %" PetscInt_FMT " vessels, %" PetscInt_FMT " anastomoses, seed %lu (havoc mesh generate)", spec->nvessels, spec->nloops, spec->seed));
  t.mesh->ninlets = 1;
  PetscCall(PetscStrncpy(t.mesh->inlets[0].name, "inlet", sizeof(t.mesh->inlets[0].name)));
  t.mesh->inlets[0].node  = 0; /* the first node Grow adds */
  t.mesh->inlets[0].scale = 1;
  PetscCall(Grow(&t, spec, &rng, &nterminals));
  PetscCall(SizeOutlets(&t, spec, nterminals));
  PetscCall(Join(&t, spec, &rng, &added));
  PetscCall(HavocMeshWriteString(t.mesh, &text));
  PetscCall(PetscFree5(t.dir, t.adj, t.r_min, t.active, t.partner));
  PetscCall(PetscFree3(t.mesh->nodes, t.mesh->vessels, t.mesh->inlets));
  PetscCall(PetscFree(t.mesh));
  if (added == spec->nloops) PetscCall(HavocMeshReadString(comm, "generated tree", text, mesh));
  PetscCall(PetscFree(text));
  HavocCheckUser(added == spec->nloops, comm, "tree: cannot add %" PetscInt_FMT " anastomoses to a tree of %" PetscInt_FMT " vessels: only %" PetscInt_FMT " fit between its junctions", spec->nloops, spec->nvessels, added);
  PetscFunctionReturn(0);
}
