/* Steady: the cycle-averaged network flow on a DMNetwork. See steady.h and docs/model.md "Steady network".

   Unknowns: one flow per vessel (edge dof) and one head per node (vertex dof): the pressure plus the
   hydrostatic rho phi of the Network's gravity, so that gravity only shifts the fixed pressures (outlets,
   pressure inlets) and the tube law of a compliant lumen. Equations, all in Pa:
     vessel   D(p_from, Q) + R_extra Q - (p_from - p_to)    D: viscous drop    (R_s Q for a blocked vessel)
     node     R_s (inflow - outflow + q_inlet - (p - p_out) / R_out)           conservation of mass
              p - p_fixed                                                      pressure inlet
              p - p_other                                                      a node that no flow can reach
   where R_s is a typical vessel resistance, so that both kinds of row have entries of order one and R_s.
   The residual is assembled as in PETSc's water example: every local vessel adds its flow to its two
   nodes in a local vector, the owners of the nodes add their own terms, then local-to-global ADD. */
#include "steady.h"
#include "options.h"

#include <petscdmplex.h>

#define STEADY_MAX_STEPS 256

/* PETSC_INFINITY is PETSC_MAX_REAL / 4, not IEEE infinity: anything from there up blocks. */
static inline PetscBool Blocked(PetscReal R)
{
  return (PetscBool)(R >= PETSC_INFINITY);
}

/* What the row of a node says. */
typedef enum { EQ_MASS,
               EQ_PRESSURE,
               EQ_LINK } NodeEquation;

/* Component data are migrated as raw PetscInt words: plain indices, padded to 8 bytes. */
typedef struct {
  PetscInt vessel, pad;
} EdgeComp;
typedef struct {
  PetscInt node, pad;
} VertexComp;

typedef struct {
  PetscInt vessel;
  PetscInt node[2]; /* mesh node at x = 0 and x = L */
  PetscInt off, goff;
  PetscInt voff[2], vgoff[2]; /* local and global offsets of the two end pressures */
} SteadyEdge;

typedef struct {
  PetscInt  node;
  PetscBool ghost;
  PetscInt  off, goff;
} SteadyVertex;

struct _p_Steady {
  MPI_Comm    comm;
  PetscMPIInt rank, size;
  HavocMesh   mesh;
  Network     net;          /* for the hydrostatic head (rho phi) of its gravity; outlives the solver */
  PetscInt    nmine, *mine; /* vessels this rank owns in the pulsatile network, ascending */
  PetscInt   *owner;        /* rank 0: the owning rank of every vessel */

  /* physics */
  PetscReal  rho, mu, zeta;
  PetscBool  inlet_pressure;
  PetscReal  inlet_value;
  PetscBool  compliant;
  PetscInt   nsteps;                         /* Runge-Kutta steps along a compliant vessel */
  HavocTube  tube[2 * STEADY_MAX_STEPS + 1]; /* scratch: the tube law at the half steps of one vessel */
  PetscReal  w[2 * STEADY_MAX_STEPS + 1];    /* ... and 1/A_r^2 there */
  PetscReal *rhophi;                         /* [nvessels][2 nsteps + 1] rho phi at the half steps (SteadySetUp) */
  PetscReal *R_extra;                        /* [nvessels] */
  PetscReal *R_rigid;                        /* [nvessels] viscous resistance of the rigid lumen */
  PetscReal *R_out, *p_out;                  /* [nnodes] steady outlet (R_out < 0: not an outlet) */
  PetscReal  R_s;                            /* scale of the mass rows */

  /* equations of the current solve, the same on every rank */
  NodeEquation *eq;      /* [nnodes] */
  PetscReal    *p_fixed; /* [nnodes] EQ_PRESSURE */
  PetscReal    *q_in;    /* [nnodes] inflow of a flow inlet */
  PetscInt     *link;    /* [nnodes] EQ_LINK: the blocked vessel whose far end gives the pressure */
  PetscInt     *comp;    /* [nnodes] scratch for the graph analysis */
  PetscInt     *level;   /* [nnodes] ... */
  PetscBool     compliant_now;

  /* the distributed problem */
  DM            dm;
  SNES          snes;
  Vec           X, F;
  Mat           J;
  PetscInt      ne, nv;
  SteadyEdge   *edges;
  SteadyVertex *vertices;

  /* the gathered solution */
  PetscReal *Q, *p, *p0, *pL, *buf; /* p: node heads; p0, pL: pressures at the vessel ends */
  PetscInt   its;
  PetscBool  setup, solved;
};

PetscReal SteadyRigidResistance(const HavocMeshVessel *v, PetscReal rhoKR)
{
  const PetscReal a = v->r_prox, b = v->r_dist;

  /* int_0^L dx / r^4 = L (1/a^3 - 1/b^3) / (3 (b - a)), rewritten without the difference: exact for a = b */
  return rhoKR / (PETSC_PI * PETSC_PI) * v->length * (a * a + a * b + b * b) / (3 * a * a * a * b * b * b);
}

PetscErrorCode SteadyCreate(Network net, Steady *steady)
{
  Steady       s;
  HavocMesh    mesh   = net->mesh;
  PetscMPIInt *counts = NULL, *displs = NULL;
  PetscInt    *all = NULL, nmine;

  PetscFunctionBeginUser;
  PetscCheck(net->dm, net->comm, PETSC_ERR_ARG_WRONGSTATE, "SteadyCreate() needs a network after NetworkSetUp()");
  PetscCall(HavocRegisterAll());
  PetscCall(PetscNew(&s));
  s->comm        = net->comm;
  s->mesh        = mesh;
  s->net         = net;
  s->rho         = 1060;
  s->mu          = 4e-3;
  s->zeta        = -1;
  s->nsteps      = 16;
  s->inlet_value = 0;
  PetscCallMPI(MPI_Comm_rank(s->comm, &s->rank));
  PetscCallMPI(MPI_Comm_size(s->comm, &s->size));
  PetscCall(PetscCalloc4(mesh->nvessels, &s->R_extra, mesh->nvessels, &s->R_rigid, mesh->nnodes, &s->R_out, mesh->nnodes, &s->p_out));
  PetscCall(PetscCalloc4(mesh->nnodes, &s->eq, mesh->nnodes, &s->p_fixed, mesh->nnodes, &s->q_in, mesh->nnodes, &s->link));
  PetscCall(PetscCalloc2(mesh->nnodes, &s->comp, mesh->nnodes, &s->level));
  PetscCall(PetscCalloc5(mesh->nvessels, &s->Q, mesh->nnodes, &s->p, mesh->nvessels, &s->p0, mesh->nvessels, &s->pL, mesh->nvessels + mesh->nnodes, &s->buf));

  /* the pulsatile network's vessel ownership: each rank keeps its own list, rank 0 the whole map */
  nmine = net->nvessels;
  PetscCall(PetscMalloc1(nmine, &s->mine));
  for (PetscInt i = 0; i < nmine; i++)
    s->mine[i] = net->vessels[i].vessel;
  PetscCall(PetscSortInt(nmine, s->mine));
  s->nmine = nmine;
  if (!s->rank) PetscCall(PetscMalloc3(s->size, &counts, s->size + 1, &displs, mesh->nvessels, &all));
  {
    PetscMPIInt n = (PetscMPIInt)nmine;
    PetscCallMPI(MPI_Gather(&n, 1, MPI_INT, counts, 1, MPI_INT, 0, s->comm));
  }
  if (!s->rank) {
    displs[0] = 0;
    for (PetscMPIInt r = 0; r < s->size; r++)
      displs[r + 1] = displs[r] + counts[r];
    PetscCheck(displs[s->size] == mesh->nvessels, PETSC_COMM_SELF, PETSC_ERR_PLIB, "the network holds %d vessels over all ranks, the mesh %" PetscInt_FMT, displs[s->size], mesh->nvessels);
  }
  PetscCallMPI(MPI_Gatherv(s->mine, (PetscMPIInt)nmine, MPIU_INT, all, counts, displs, MPIU_INT, 0, s->comm));
  if (!s->rank) {
    PetscCall(PetscMalloc1(mesh->nvessels, &s->owner));
    for (PetscMPIInt r = 0; r < s->size; r++)
      for (PetscMPIInt k = displs[r]; k < displs[r + 1]; k++)
        s->owner[all[k]] = r;
    PetscCall(PetscFree3(counts, displs, all));
  }

  /* Newton with a direct solve: the mixed system has zero diagonal blocks */
  PetscCall(SNESCreate(s->comm, &s->snes));
  PetscCall(SNESSetOptionsPrefix(s->snes, "steady_"));
  /* Newton converges quadratically: a tight relative tolerance costs at most one more iteration */
  PetscCall(SNESSetTolerances(s->snes, PETSC_DEFAULT, 1e-12, PETSC_DEFAULT, PETSC_DEFAULT, PETSC_DEFAULT));
  {
    /* The network's system is small (a few unknowns per vessel): every rank factors the whole of it with
       sequential MUMPS. Parallel MUMPS assembles its contributions in the order they arrive, so that its
       round-off differs from one run to the next; a restarted run must reproduce the uninterrupted one
       bit for bit. */
    KSP ksp, inner;
    PC  pc, ipc;
    PetscCall(SNESGetKSP(s->snes, &ksp));
    PetscCall(KSPSetType(ksp, KSPPREONLY));
    PetscCall(KSPGetPC(ksp, &pc));
    PetscCall(PCSetType(pc, PCREDUNDANT));
    PetscCall(PCRedundantGetKSP(pc, &inner));
    PetscCall(KSPSetType(inner, KSPPREONLY));
    PetscCall(KSPGetPC(inner, &ipc));
    PetscCall(PCSetType(ipc, PCLU));
    PetscCall(PCFactorSetMatSolverType(ipc, MATSOLVERMUMPS));
  }
  *steady = s;
  PetscFunctionReturn(0);
}

/* Blood, friction and the inlet come from the caller (SteadySetBlood, SteadySetInlet): in a run they are
   the pulsatile solver's, so that both phases solve the same problem. */
static PetscErrorCode SteadyReadOptions(MPI_Comm comm, PetscBool *compliant, PetscInt *nsteps)
{
  PetscFunctionBeginUser;
  PetscOptionsBegin(comm, "steady_", "Steady (cycle-averaged) network flow (with -run_phases ...,steady)", NULL);
  PetscCall(PetscOptionsBool("-compliant", "lumen from the tube law at the local pressure (nonlinear) instead of the rigid reference lumen", NULL, *compliant, compliant, NULL));
  PetscCall(HavocOptionsIntRange("-compliant_steps", "Runge-Kutta steps along a vessel for -steady_compliant", *nsteps, nsteps, NULL, 1, STEADY_MAX_STEPS));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

PetscErrorCode SteadySetFromOptions(Steady s)
{
  const PetscInt nsteps = s->nsteps;

  PetscFunctionBeginUser;
  PetscCall(SteadyReadOptions(s->comm, &s->compliant, &s->nsteps));
  PetscCheck(!s->setup || s->nsteps == nsteps, s->comm, PETSC_ERR_ARG_WRONGSTATE, "-steady_compliant_steps must be set before SteadySetUp()");
  PetscCall(SNESSetFromOptions(s->snes));
  PetscFunctionReturn(0);
}

PetscErrorCode SteadyHelp(MPI_Comm comm)
{
  PetscBool compliant = PETSC_TRUE; /* as havoc run sets it */
  PetscInt  nsteps    = 16;

  PetscFunctionBeginUser;
  PetscCall(SteadyReadOptions(comm, &compliant, &nsteps));
  PetscFunctionReturn(0);
}

PetscErrorCode SteadySetBlood(Steady s, PetscReal rho, PetscReal mu, PetscReal zeta_override)
{
  PetscFunctionBeginUser;
  PetscCheck(rho > 0 && mu >= 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "SteadySetBlood(): density %g must be > 0 and viscosity %g >= 0", (double)rho, (double)mu);
  s->rho  = rho;
  s->mu   = mu;
  s->zeta = zeta_override;
  PetscFunctionReturn(0);
}

PetscErrorCode SteadySetInlet(Steady s, PetscBool pressure, PetscReal value)
{
  PetscFunctionBeginUser;
  PetscCheck(!PetscIsInfOrNanReal(value), PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "SteadySetInlet(): the value must be finite");
  s->inlet_pressure = pressure;
  s->inlet_value    = value;
  PetscFunctionReturn(0);
}

PetscErrorCode SteadySetVesselResistance(Steady s, PetscInt vessel, PetscReal R)
{
  PetscFunctionBeginUser;
  PetscCheck(vessel >= 0 && vessel < s->mesh->nvessels, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "SteadySetVesselResistance(): no vessel %" PetscInt_FMT " (the mesh has %" PetscInt_FMT ")", vessel, s->mesh->nvessels);
  PetscCheck(R >= 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "SteadySetVesselResistance(): vessel '%s': resistance %g must be >= 0 (PETSC_INFINITY blocks it)", s->mesh->vessels[vessel].name, (double)R);
  s->R_extra[vessel] = R;
  PetscFunctionReturn(0);
}

PetscErrorCode SteadySetCompliant(Steady s, PetscBool compliant)
{
  PetscFunctionBeginUser;
  s->compliant = compliant;
  PetscFunctionReturn(0);
}

PetscErrorCode SteadyGetSNES(Steady s, SNES *snes)
{
  PetscFunctionBeginUser;
  *snes = s->snes;
  PetscFunctionReturn(0);
}

/* The steady equivalent of every outlet; a model without one is the user's to change. */
static PetscErrorCode SteadyOutlets(Steady s)
{
  HavocMesh mesh = s->mesh;

  PetscFunctionBeginUser;
  for (PetscInt n = 0; n < mesh->nnodes; n++)
    s->R_out[n] = -1;
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    const HavocMeshVessel *v = &mesh->vessels[i];
    const HavocOutletType *type;
    PetscBool              ok = PETSC_FALSE;
    PetscReal              R = 0, p_out = 0;
    if (v->outlet_node < 0) continue;
    PetscCall(HavocOutletGet(v->outlet_type, &type));
    if (type->steady) type->steady(v->outlet_param, &R, &p_out, &ok);
    HavocCheckUser(ok, s->comm, "vessel '%s' (line %" PetscInt_FMT " of %s): its outlet model '%s' has no steady equivalent, so the steady (cycle-averaged) network cannot be solved; give this outlet a resistance or wk3 model", v->name, v->line, mesh->path, type->name);
    HavocCheckUser(R >= 0 && !PetscIsNanReal(p_out), s->comm, "vessel '%s' (line %" PetscInt_FMT " of %s): outlet '%s' gives a steady resistance of %g Pa s m^-3", v->name, v->line, mesh->path, type->name, (double)R);
    s->R_out[v->outlet_node] = R;
    /* the unknowns are heads p + rho phi: the outlet pressure is at the terminal's height */
    s->p_out[v->outlet_node] = p_out + s->net->node_rhophi[v->outlet_node];
  }
  PetscFunctionReturn(0);
}

PetscErrorCode SteadyOutletsChanged(Steady s)
{
  PetscFunctionBeginUser;
  PetscCall(SteadyOutlets(s));
  PetscFunctionReturn(0);
}

/* Rank 0 lays out the whole graph (vertex i is mesh node i, edge i mesh vessel i); the partition copies the
   pulsatile network's, so that both give every rank the same vessels. */
static PetscErrorCode SteadyLayout(Steady s)
{
  HavocMesh   mesh = s->mesh;
  PetscInt   *edgelist, ne = s->rank ? 0 : mesh->nvessels, eStart, eEnd, vStart, vEnd, ekey, vkey, subnet;
  EdgeComp   *ec;
  VertexComp *vc;

  PetscFunctionBeginUser;
  PetscCall(DMNetworkCreate(s->comm, &s->dm));
  PetscCall(DMNetworkRegisterComponent(s->dm, "steady_vessel", sizeof(EdgeComp), &ekey));
  PetscCall(DMNetworkRegisterComponent(s->dm, "steady_node", sizeof(VertexComp), &vkey));
  PetscCall(DMNetworkSetNumSubNetworks(s->dm, PETSC_DECIDE, 1));
  PetscCall(PetscMalloc1(2 * ne, &edgelist));
  for (PetscInt e = 0; e < ne; e++) {
    edgelist[2 * e]     = mesh->vessels[e].from;
    edgelist[2 * e + 1] = mesh->vessels[e].to;
  }
  PetscCall(DMNetworkAddSubnetwork(s->dm, "vessels", ne, edgelist, &subnet));
  PetscCall(DMNetworkLayoutSetUp(s->dm));
  PetscCall(DMNetworkGetEdgeRange(s->dm, &eStart, &eEnd));
  PetscCall(DMNetworkGetVertexRange(s->dm, &vStart, &vEnd));
  PetscCall(PetscCalloc2(eEnd - eStart, &ec, vEnd - vStart, &vc));
  for (PetscInt e = eStart; e < eEnd; e++) {
    ec[e - eStart].vessel = e - eStart;
    PetscCall(DMNetworkAddComponent(s->dm, e, ekey, &ec[e - eStart], 1));
  }
  for (PetscInt v = vStart; v < vEnd; v++) {
    vc[v - vStart].node = v - vStart;
    PetscCall(DMNetworkAddComponent(s->dm, v, vkey, &vc[v - vStart], 1));
  }
  PetscCall(DMSetUp(s->dm));
  PetscCall(PetscFree(edgelist));
  PetscCall(PetscFree2(ec, vc));
  if (s->size > 1) {
    DM               plex;
    PetscPartitioner part;
    PetscInt        *sizes, *points;
    PetscCall(DMNetworkGetPlex(s->dm, &plex));
    PetscCall(DMPlexGetPartitioner(plex, &part));
    PetscCall(PetscPartitionerSetType(part, PETSCPARTITIONERSHELL));
    /* DMNetworkDistribute reads the partitioner's options: a prefix of its own keeps a global
       -petscpartitioner_type (meant for the pulsatile network) from replacing the copied partition */
    PetscCall(PetscObjectSetOptionsPrefix((PetscObject)part, "steady_copy_"));
    PetscCall(PetscCalloc2(s->size, &sizes, ne, &points));
    if (!s->rank) {
      PetscInt *fill;
      PetscCall(PetscCalloc1(s->size + 1, &fill));
      for (PetscInt e = 0; e < ne; e++)
        sizes[s->owner[e]]++;
      for (PetscMPIInt r = 0; r < s->size; r++)
        fill[r + 1] = fill[r] + sizes[r];
      /* edges are the plex cells 0..ne-1 on rank 0, in vessel order */
      for (PetscInt e = 0; e < ne; e++)
        points[fill[s->owner[e]]++] = e;
      PetscCall(PetscFree(fill));
    }
    PetscCall(PetscPartitionerShellSetPartition(part, s->size, sizes, points));
    PetscCall(PetscFree2(sizes, points));
  }
  PetscCall(DMNetworkDistribute(&s->dm, 0));
  PetscFunctionReturn(0);
}

static PetscErrorCode SteadyLocalViews(Steady s)
{
  HavocMesh mesh = s->mesh;
  PetscInt  eStart, eEnd, vStart, vEnd, *vessels;
  PetscBool same;

  PetscFunctionBeginUser;
  PetscCall(DMNetworkGetEdgeRange(s->dm, &eStart, &eEnd));
  PetscCall(DMNetworkGetVertexRange(s->dm, &vStart, &vEnd));
  s->ne = eEnd - eStart;
  s->nv = vEnd - vStart;
  PetscCall(PetscCalloc2(s->ne, &s->edges, s->nv, &s->vertices));
  for (PetscInt v = vStart; v < vEnd; v++) {
    SteadyVertex *vx = &s->vertices[v - vStart];
    VertexComp   *c;
    PetscInt      key, nvar;
    PetscCall(DMNetworkGetComponent(s->dm, v, 0, &key, (void **)&c, &nvar));
    vx->node = c->node;
    PetscCall(DMNetworkIsGhostVertex(s->dm, v, &vx->ghost));
    PetscCall(DMNetworkGetLocalVecOffset(s->dm, v, ALL_COMPONENTS, &vx->off));
    PetscCall(DMNetworkGetGlobalVecOffset(s->dm, v, ALL_COMPONENTS, &vx->goff));
  }
  PetscCall(PetscMalloc1(s->ne, &vessels));
  for (PetscInt e = eStart; e < eEnd; e++) {
    SteadyEdge            *ed = &s->edges[e - eStart];
    const HavocMeshVessel *mv;
    EdgeComp              *c;
    const PetscInt        *cone;
    PetscInt               key, nvar;
    PetscCall(DMNetworkGetComponent(s->dm, e, 0, &key, (void **)&c, &nvar));
    ed->vessel  = c->vessel;
    mv          = &mesh->vessels[c->vessel];
    ed->node[0] = mv->from;
    ed->node[1] = mv->to;
    PetscCall(DMNetworkGetLocalVecOffset(s->dm, e, ALL_COMPONENTS, &ed->off));
    PetscCall(DMNetworkGetGlobalVecOffset(s->dm, e, ALL_COMPONENTS, &ed->goff));
    PetscCall(DMNetworkGetConnectedVertices(s->dm, e, &cone));
    for (PetscInt end = 0; end < 2; end++) {
      const SteadyVertex *vx = NULL;
      for (PetscInt k = 0; k < 2; k++)
        if (s->vertices[cone[k] - vStart].node == ed->node[end]) vx = &s->vertices[cone[k] - vStart];
      PetscCheck(vx, PETSC_COMM_SELF, PETSC_ERR_PLIB, "steady network: vessel %s: end node not found after distribution", mv->name);
      ed->voff[end]  = vx->off;
      ed->vgoff[end] = vx->goff;
    }
    vessels[e - eStart] = c->vessel;
  }
  /* every rank must own exactly the vessels it owns in the pulsatile network */
  PetscCall(PetscSortInt(s->ne, vessels));
  same = (PetscBool)(s->ne == s->nmine);
  for (PetscInt i = 0; same && i < s->ne; i++)
    same = (PetscBool)(vessels[i] == s->mine[i]);
  PetscCall(PetscFree(vessels));
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &same, 1, MPIU_BOOL, MPI_LAND, s->comm));
  PetscCheck(same, s->comm, PETSC_ERR_PLIB, "steady network: the distribution does not give every rank the vessels it owns in the pulsatile network");
  PetscFunctionReturn(0);
}

static PetscErrorCode SteadyFunction(SNES, Vec, Vec, void *);
static PetscErrorCode SteadyJacobian(SNES, Vec, Mat, Mat, void *);

PetscErrorCode SteadySetUp(Steady s)
{
  PetscFunctionBeginUser;
  if (s->setup) PetscFunctionReturn(0);
  PetscCall(SteadyOutlets(s));
  /* the hydrostatic head at the points where the compliant integration evaluates the tube law */
  PetscCall(PetscMalloc1(s->mesh->nvessels * (2 * s->nsteps + 1), &s->rhophi));
  for (PetscInt i = 0; i < s->mesh->nvessels; i++) {
    const HavocMeshVessel *v = &s->mesh->vessels[i];
    for (PetscInt j = 0; j <= 2 * s->nsteps; j++)
      s->rhophi[i * (2 * s->nsteps + 1) + j] = NetworkVesselHead(s->net, v, j == 2 * s->nsteps ? v->length : j * (v->length / s->nsteps) / 2);
  }
  PetscCall(SteadyLayout(s));
  PetscCall(SteadyLocalViews(s));
  PetscCall(DMCreateGlobalVector(s->dm, &s->X));
  PetscCall(VecDuplicate(s->X, &s->F));
  PetscCall(VecSet(s->X, 0));
  PetscCall(DMCreateMatrix(s->dm, &s->J));
  PetscCall(SNESSetDM(s->snes, s->dm));
  PetscCall(SNESSetFunction(s->snes, s->F, SteadyFunction, s));
  PetscCall(SNESSetJacobian(s->snes, s->J, s->J, SteadyJacobian, s));
  s->setup = PETSC_TRUE;
  PetscFunctionReturn(0);
}

/* The viscous pressure drop D = p(0) - p(L) of vessel i carrying Q with p(0) = pa, and its derivatives.
   Rigid: R_rigid Q. Compliant: the momentum balance dp/dx = -rho K_R Q / A(x, p)^2 integrated along the
   vessel by the classical Runge-Kutta method in nsteps steps, together with its sensitivities to pa and Q
   (differentiating the Runge-Kutta map is the same as integrating the variational equations with it, so
   Newton gets the exact Jacobian of the discrete problem). Written as dp/dx = -c(x) Q (A_r/A)^2 with
   c = R_rigid w(x) / W, w = 1/A_r^2 and W the Runge-Kutta (Simpson) sum of w, so that a wall that does not
   move gives R_rigid Q exactly. Returns PETSC_FALSE when the lumen collapses on the way. */
static PetscBool VesselDrop(Steady s, PetscInt i, PetscReal pa, PetscReal Q, PetscReal *D, PetscReal *dDa, PetscReal *dDQ)
{
  const HavocMeshVessel *v = &s->mesh->vessels[i];
  const PetscInt         n = s->nsteps;
  const PetscReal        h = v->length / n;
  PetscReal              W = 0, p = pa, a = 1, b = 0;

  if (!s->compliant_now) {
    *D   = s->R_rigid[i] * Q;
    *dDa = 0;
    *dDQ = s->R_rigid[i];
    return PETSC_TRUE;
  }
  for (PetscInt j = 0; j <= 2 * n; j++) {
    HavocTube t;
    NetworkVesselTube(v, j == 2 * n ? v->length : j * h / 2, &t);
    t.pr += s->rhophi[i * (2 * n + 1) + j]; /* the tube law of the head */
    s->tube[j] = t;
    s->w[j]    = 1 / (t.sqrtAr * t.sqrtAr * t.sqrtAr * t.sqrtAr);
  }
  for (PetscInt k = 0; k < n; k++)
    W += h / 6 * (s->w[2 * k] + 4 * s->w[2 * k + 1] + s->w[2 * k + 2]);
  for (PetscInt k = 0; k < n; k++) {
    static const PetscInt  half_step[4] = {0, 1, 1, 2};     /* where each stage evaluates, in half steps */
    static const PetscReal advance[4]   = {0, 0.5, 0.5, 1}; /* how far its state is advanced, in steps */
    PetscReal              kp[4], ka[4], kb[4];
    for (PetscInt st = 0; st < 4; st++) {
      const PetscInt   j  = 2 * k + half_step[st];
      const PetscReal  f  = advance[st] * h;
      const PetscReal  ps = st ? p + f * kp[st - 1] : p, as = st ? a + f * ka[st - 1] : a, bs = st ? b + f * kb[st - 1] : b;
      const HavocTube *t = &s->tube[j];
      const PetscReal  c = s->R_rigid[i] * s->w[j] / W, sq = HavocTubeSqrtArea(t, ps);
      PetscReal        g, gp;
      if (!(sq > 0)) return PETSC_FALSE;
      g      = PetscPowRealInt(t->sqrtAr / sq, 4);
      gp     = -4 * g / (sq * t->K);
      kp[st] = -c * Q * g;
      ka[st] = -c * Q * gp * as;
      kb[st] = -c * (Q * gp * bs + g);
    }
    p += h / 6 * (kp[0] + 2 * kp[1] + 2 * kp[2] + kp[3]);
    a += h / 6 * (ka[0] + 2 * ka[1] + 2 * ka[2] + ka[3]);
    b += h / 6 * (kb[0] + 2 * kb[1] + 2 * kb[2] + kb[3]);
  }
  *D   = pa - p;
  *dDa = 1 - a;
  *dDQ = -b;
  return (PetscBool)!PetscIsInfOrNanReal(*D);
}

static PetscErrorCode SteadyFunction(SNES snes, Vec X, Vec F, void *ctx)
{
  Steady             s = (Steady)ctx;
  Vec                Xl, Fl;
  const PetscScalar *x;
  PetscScalar       *f;
  PetscBool          ok = PETSC_TRUE;

  PetscFunctionBeginUser;
  PetscCall(DMGetLocalVector(s->dm, &Xl));
  PetscCall(DMGetLocalVector(s->dm, &Fl));
  PetscCall(DMGlobalToLocalBegin(s->dm, X, INSERT_VALUES, Xl));
  PetscCall(DMGlobalToLocalEnd(s->dm, X, INSERT_VALUES, Xl));
  PetscCall(VecSet(Fl, 0));
  PetscCall(VecGetArrayRead(Xl, &x));
  PetscCall(VecGetArray(Fl, &f));
  for (PetscInt k = 0; k < s->ne; k++) {
    const SteadyEdge *e = &s->edges[k];
    const PetscReal   Q = x[e->off], pa = x[e->voff[0]], pb = x[e->voff[1]], Rx = s->R_extra[e->vessel];
    PetscReal         D = 0, dDa = 0, dDQ = 0; /* set by VesselDrop, unless an earlier vessel failed */
    if (Blocked(Rx)) f[e->off] = s->R_s * Q;
    else {
      ok        = (PetscBool)(ok && VesselDrop(s, e->vessel, pa, Q, &D, &dDa, &dDQ));
      f[e->off] = D + Rx * Q - (pa - pb);
    }
    for (PetscInt end = 0; end < 2; end++) {
      const PetscInt n = e->node[end];
      if (s->eq[n] == EQ_MASS) f[e->voff[end]] += (end ? 1 : -1) * s->R_s * Q;
      else if (s->eq[n] == EQ_LINK && s->link[n] == e->vessel) f[e->voff[end]] += x[e->voff[end]] - x[e->voff[1 - end]];
    }
  }
  for (PetscInt k = 0; k < s->nv; k++) {
    const SteadyVertex *vx = &s->vertices[k];
    const PetscInt      n  = vx->node;
    const PetscReal     p  = x[vx->off];
    if (vx->ghost) continue;
    if (s->eq[n] == EQ_PRESSURE) f[vx->off] = p - s->p_fixed[n];
    else if (s->eq[n] == EQ_MASS) {
      f[vx->off] += s->R_s * s->q_in[n];
      if (s->R_out[n] > 0 && !Blocked(s->R_out[n])) f[vx->off] -= s->R_s * (p - s->p_out[n]) / s->R_out[n];
    }
  }
  PetscCall(VecRestoreArrayRead(Xl, &x));
  PetscCall(VecRestoreArray(Fl, &f));
  PetscCall(VecSet(F, 0));
  PetscCall(DMLocalToGlobalBegin(s->dm, Fl, ADD_VALUES, F));
  PetscCall(DMLocalToGlobalEnd(s->dm, Fl, ADD_VALUES, F));
  PetscCall(DMRestoreLocalVector(s->dm, &Xl));
  PetscCall(DMRestoreLocalVector(s->dm, &Fl));
  if (!ok) PetscCall(SNESSetFunctionDomainError(snes));
  PetscFunctionReturn(0);
}

static PetscErrorCode SteadyJacobian(SNES snes, Vec X, Mat J, Mat P, void *ctx)
{
  Steady             s = (Steady)ctx;
  Vec                Xl;
  const PetscScalar *x;
  PetscBool          ok = PETSC_TRUE;

  PetscFunctionBeginUser;
  PetscCall(DMGetLocalVector(s->dm, &Xl));
  PetscCall(DMGlobalToLocalBegin(s->dm, X, INSERT_VALUES, Xl));
  PetscCall(DMGlobalToLocalEnd(s->dm, X, INSERT_VALUES, Xl));
  PetscCall(VecGetArrayRead(Xl, &x));
  PetscCall(MatZeroEntries(P));
  for (PetscInt k = 0; k < s->ne; k++) {
    const SteadyEdge *e = &s->edges[k];
    const PetscReal   Q = x[e->off], pa = x[e->voff[0]], Rx = s->R_extra[e->vessel];
    PetscReal         D = 0, dDa = 0, dDQ = 0; /* set by VesselDrop, unless an earlier vessel failed */
    if (Blocked(Rx)) PetscCall(MatSetValue(P, e->goff, e->goff, s->R_s, ADD_VALUES));
    else {
      const PetscInt cols[3] = {e->goff, e->vgoff[0], e->vgoff[1]};
      PetscScalar    vals[3];
      ok      = (PetscBool)(ok && VesselDrop(s, e->vessel, pa, Q, &D, &dDa, &dDQ));
      vals[0] = dDQ + Rx;
      vals[1] = dDa - 1;
      vals[2] = 1;
      PetscCall(MatSetValues(P, 1, &e->goff, 3, cols, vals, ADD_VALUES));
    }
    for (PetscInt end = 0; end < 2; end++) {
      const PetscInt n = e->node[end];
      if (s->eq[n] == EQ_MASS) PetscCall(MatSetValue(P, e->vgoff[end], e->goff, (end ? 1 : -1) * s->R_s, ADD_VALUES));
      else if (s->eq[n] == EQ_LINK && s->link[n] == e->vessel) {
        const PetscInt    cols[2] = {e->vgoff[end], e->vgoff[1 - end]};
        const PetscScalar vals[2] = {1, -1};
        PetscCall(MatSetValues(P, 1, &e->vgoff[end], 2, cols, vals, ADD_VALUES));
      }
    }
  }
  for (PetscInt k = 0; k < s->nv; k++) {
    const SteadyVertex *vx = &s->vertices[k];
    const PetscInt      n  = vx->node;
    if (vx->ghost) continue;
    if (s->eq[n] == EQ_PRESSURE) PetscCall(MatSetValue(P, vx->goff, vx->goff, 1, ADD_VALUES));
    else if (s->eq[n] == EQ_MASS && s->R_out[n] > 0 && !Blocked(s->R_out[n])) PetscCall(MatSetValue(P, vx->goff, vx->goff, -s->R_s / s->R_out[n], ADD_VALUES));
  }
  PetscCall(VecRestoreArrayRead(Xl, &x));
  PetscCall(DMRestoreLocalVector(s->dm, &Xl));
  PetscCall(MatAssemblyBegin(P, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(P, MAT_FINAL_ASSEMBLY));
  if (J != P) {
    PetscCall(MatAssemblyBegin(J, MAT_FINAL_ASSEMBLY));
    PetscCall(MatAssemblyEnd(J, MAT_FINAL_ASSEMBLY));
  }
  if (!ok) PetscCall(SNESSetJacobianDomainError(snes));
  PetscFunctionReturn(0);
}

static PetscInt Find(PetscInt *parent, PetscInt a)
{
  while (parent[a] != a)
    a = parent[a] = parent[parent[a]];
  return a;
}

/* The equation of every node for the current blockages, redundantly and identically on every rank (each
   holds the whole mesh). Components are the nodes joined by open vessels. A component with a pressure inlet
   or a draining outlet is open; any other carries no flow, and its pressure is taken, through one blocked
   vessel, from a component nearer to an open one (breadth first, lowest vessel index first): one node of
   it (the end of that vessel) gets the equation p = p_other instead of its mass balance, which is
   redundant there. A network with no open component at all is held at the venous pressure of its first
   outlet. */
static PetscErrorCode SteadyEquations(Steady s)
{
  HavocMesh mesh = s->mesh;
  PetscInt *comp = s->comp, *level = s->level, round;
  PetscBool any_open  = PETSC_FALSE, changed;
  PetscReal rest      = 0;
  PetscBool have_rest = PETSC_FALSE;

  PetscFunctionBeginUser;
  for (PetscInt n = 0; n < mesh->nnodes; n++) {
    comp[n]       = n;
    s->eq[n]      = EQ_MASS;
    s->q_in[n]    = 0;
    s->p_fixed[n] = 0;
    s->link[n]    = -1;
  }
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    const PetscInt a = Find(comp, mesh->vessels[i].from), b = Find(comp, mesh->vessels[i].to);
    if (Blocked(s->R_extra[i]) || a == b) continue;
    comp[PetscMax(a, b)] = PetscMin(a, b);
  }
  for (PetscInt n = 0; n < mesh->nnodes; n++)
    comp[n] = Find(comp, n);
  for (PetscInt i = 0; i < mesh->ninlets; i++) {
    const PetscInt  n     = mesh->inlets[i].node;
    const PetscReal value = s->inlet_value * mesh->inlets[i].scale;
    if (s->inlet_pressure) {
      s->eq[n]      = EQ_PRESSURE;
      s->p_fixed[n] = value + s->net->node_rhophi[n];
    } else s->q_in[n] = value;
  }
  for (PetscInt n = 0; n < mesh->nnodes; n++)
    if (s->R_out[n] == 0) {
      s->eq[n]      = EQ_PRESSURE;
      s->p_fixed[n] = s->p_out[n];
    }
  /* level[] of a component root: 0 open, -1 not reached yet */
  for (PetscInt n = 0; n < mesh->nnodes; n++)
    level[n] = -1;
  for (PetscInt n = 0; n < mesh->nnodes; n++)
    if (s->eq[n] == EQ_PRESSURE || (s->R_out[n] > 0 && !Blocked(s->R_out[n]))) {
      level[comp[n]] = 0;
      any_open       = PETSC_TRUE;
    }
  for (PetscInt i = 0; i < mesh->ninlets; i++) {
    const HavocMeshInlet *in = &mesh->inlets[i];
    HavocCheckUser(level[comp[in->node]] == 0 || s->q_in[in->node] == 0, s->comm, "inlet '%s' (line %" PetscInt_FMT " of %s): its mean inflow of %g m^3/s has nowhere to go: every path from it to an outlet is blocked", in->name, in->line, mesh->path, (double)s->q_in[in->node]);
  }
  if (!any_open) {
    for (PetscInt i = 0; i < mesh->nvessels && !have_rest; i++)
      if (mesh->vessels[i].outlet_node >= 0) {
        rest      = s->p_out[mesh->vessels[i].outlet_node];
        have_rest = PETSC_TRUE;
      }
    s->eq[0]       = EQ_PRESSURE;
    s->p_fixed[0]  = rest;
    level[comp[0]] = 0;
  }
  for (round = 1, changed = PETSC_TRUE; changed; round++) {
    changed = PETSC_FALSE;
    for (PetscInt i = 0; i < mesh->nvessels; i++) {
      const PetscInt ends[2] = {mesh->vessels[i].from, mesh->vessels[i].to};
      if (!Blocked(s->R_extra[i])) continue;
      for (PetscInt e = 0; e < 2; e++) {
        const PetscInt here = ends[e], there = ends[1 - e];
        if (level[comp[there]] != round - 1 || level[comp[here]] >= 0) continue;
        level[comp[here]] = round;
        s->eq[here]       = EQ_LINK;
        s->link[here]     = i;
        changed           = PETSC_TRUE;
      }
    }
  }
  for (PetscInt n = 0; n < mesh->nnodes; n++)
    PetscCheck(level[comp[n]] >= 0, s->comm, PETSC_ERR_PLIB, "steady network: node %" PetscInt_FMT " is in no component reached from the open network", mesh->nodes[n].id);
  PetscFunctionReturn(0);
}

/* Friction and resistances for the current blood, and the scale of the mass rows: the geometric mean of the
   vessel resistances. */
static void SteadyResistances(Steady s)
{
  HavocMesh mesh   = s->mesh;
  PetscReal logsum = 0;

  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    const HavocMeshVessel *v    = &mesh->vessels[i];
    const PetscReal        zeta = s->zeta >= 0 ? s->zeta : v->zeta;
    s->R_rigid[i]               = SteadyRigidResistance(v, 2 * (zeta + 2) * PETSC_PI * s->mu);
    logsum += PetscLogReal(s->R_rigid[i] > 0 ? s->R_rigid[i] : 1);
  }
  s->R_s = PetscExpReal(logsum / mesh->nvessels);
}

static PetscErrorCode SteadyNewton(Steady s, PetscInt *its)
{
  SNESConvergedReason reason;

  PetscFunctionBeginUser;
  PetscCall(SNESSolve(s->snes, NULL, s->X));
  PetscCall(SNESGetConvergedReason(s->snes, &reason));
  PetscCall(SNESGetIterationNumber(s->snes, its));
  if (reason <= 0) {
    s->solved = PETSC_FALSE;
    SETERRQ(s->comm, PETSC_ERR_NOT_CONVERGED, "steady network (%s): Newton's method did not converge (%s) in %" PetscInt_FMT " iterations%s", s->mesh->path, SNESConvergedReasons[reason], *its,
            s->compliant_now ? "; with -steady_compliant a lumen may have collapsed (pressure below the collapse pressure of its tube law)" : "");
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode SteadyGather(Steady s)
{
  HavocMesh          mesh = s->mesh;
  PetscReal         *buf  = s->buf;
  const PetscScalar *x;
  PetscInt           rstart;

  PetscFunctionBeginUser;
  PetscCall(PetscArrayzero(buf, mesh->nvessels + mesh->nnodes));
  PetscCall(VecGetOwnershipRange(s->X, &rstart, NULL));
  PetscCall(VecGetArrayRead(s->X, &x));
  for (PetscInt k = 0; k < s->ne; k++)
    buf[s->edges[k].vessel] = x[s->edges[k].goff - rstart];
  for (PetscInt k = 0; k < s->nv; k++)
    if (!s->vertices[k].ghost) buf[mesh->nvessels + s->vertices[k].node] = x[s->vertices[k].goff - rstart];
  PetscCall(VecRestoreArrayRead(s->X, &x));
  /* one owner per entry, zeros elsewhere: the sum is exact */
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, buf, (PetscMPIInt)(mesh->nvessels + mesh->nnodes), MPIU_REAL, MPIU_SUM, s->comm));
  PetscCall(PetscArraycpy(s->Q, buf, mesh->nvessels));
  PetscCall(PetscArraycpy(s->p, buf + mesh->nvessels, mesh->nnodes));
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    s->p0[i] = s->p[mesh->vessels[i].from] - s->net->node_rhophi[mesh->vessels[i].from];
    s->pL[i] = s->p[mesh->vessels[i].to] - s->net->node_rhophi[mesh->vessels[i].to];
  }
  PetscFunctionReturn(0);
}

PetscErrorCode SteadySolve(Steady s)
{
  PetscInt its = 0;

  PetscFunctionBeginUser;
  PetscCall(SteadySetUp(s));
  SteadyResistances(s);
  PetscCall(SteadyEquations(s));
  if (!s->solved) PetscCall(VecSet(s->X, 0));
  s->its = 0;
  /* a compliant solve from rest starts from the rigid solution, one linear step away */
  if (s->compliant && !s->solved) {
    s->compliant_now = PETSC_FALSE;
    PetscCall(SteadyNewton(s, &its));
    s->its += its;
  }
  s->compliant_now = s->compliant;
  PetscCall(SteadyNewton(s, &its));
  s->its += its;
  s->solved = PETSC_TRUE;
  PetscCall(SteadyGather(s));
  PetscFunctionReturn(0);
}

/* The solver's last solution (the next Newton solve's starting point), written or read. */
PetscErrorCode SteadyCheckpoint(Steady s, HavocCheckpoint ck, PetscBool write)
{
  PetscInt     n, its[2] = {s->its, s->solved};
  PetscScalar *x;

  PetscFunctionBeginUser;
  PetscCall(SteadySetUp(s));
  PetscCall(VecGetLocalSize(s->X, &n));
  PetscCall(HavocCheckpointRecord(ck, write, "steady.its", its, sizeof(its)));
  PetscCall(VecGetArray(s->X, &x));
  PetscCall(HavocCheckpointRecord(ck, write, "steady.X", x, (size_t)n * sizeof(PetscScalar)));
  PetscCall(VecRestoreArray(s->X, &x));
  if (write) PetscFunctionReturn(0);
  s->its    = its[0];
  s->solved = (PetscBool)its[1];
  if (s->solved) PetscCall(SteadyGather(s));
  PetscFunctionReturn(0);
}

PetscErrorCode SteadyGetSolution(Steady s, const PetscReal **Q, const PetscReal **p0, const PetscReal **pL)
{
  PetscFunctionBeginUser;
  PetscCheck(s->solved, s->comm, PETSC_ERR_ARG_WRONGSTATE, "SteadyGetSolution(): no solution; call SteadySolve() first");
  if (Q) *Q = s->Q;
  if (p0) *p0 = s->p0;
  if (pL) *pL = s->pL;
  PetscFunctionReturn(0);
}

PetscErrorCode SteadyGetMidArea(Steady s, PetscInt vessel, PetscReal *A)
{
  const HavocMeshVessel *v;
  HavocTube              t;

  PetscFunctionBeginUser;
  PetscCheck(s->solved, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONGSTATE, "SteadyGetMidArea(): no solution; call SteadySolve() first");
  PetscCheck(vessel >= 0 && vessel < s->mesh->nvessels, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "SteadyGetMidArea(): no vessel %" PetscInt_FMT, vessel);
  v = &s->mesh->vessels[vessel];
  NetworkVesselTube(v, 0.5 * v->length, &t);
  *A = s->compliant ? HavocTubeArea(&t, 0.5 * (s->p0[vessel] + s->pL[vessel])) : t.sqrtAr * t.sqrtAr;
  PetscFunctionReturn(0);
}

PetscErrorCode SteadyGetIterations(Steady s, PetscInt *its)
{
  PetscFunctionBeginUser;
  *its = s->its;
  PetscFunctionReturn(0);
}

PetscErrorCode SteadyDestroy(Steady *steady)
{
  Steady s = *steady;

  PetscFunctionBeginUser;
  if (!s) PetscFunctionReturn(0);
  PetscCall(SNESDestroy(&s->snes));
  PetscCall(MatDestroy(&s->J));
  PetscCall(VecDestroy(&s->X));
  PetscCall(VecDestroy(&s->F));
  PetscCall(DMDestroy(&s->dm));
  PetscCall(PetscFree2(s->edges, s->vertices));
  PetscCall(PetscFree(s->mine));
  PetscCall(PetscFree(s->owner));
  PetscCall(PetscFree(s->rhophi));
  PetscCall(PetscFree4(s->R_extra, s->R_rigid, s->R_out, s->p_out));
  PetscCall(PetscFree4(s->eq, s->p_fixed, s->q_in, s->link));
  PetscCall(PetscFree2(s->comp, s->level));
  PetscCall(PetscFree5(s->Q, s->p, s->p0, s->pL, s->buf));
  PetscCall(PetscFree(*steady));
  PetscFunctionReturn(0);
}
