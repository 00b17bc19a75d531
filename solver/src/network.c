/* Network: discretization of a mesh and its distribution with DMNetwork. */
#include "network.h"
#include "options.h"

#include <petscsf.h>

/* Component data are migrated as raw PetscInt words: plain indices only, padded to 8 bytes. */
typedef struct {
  PetscInt vessel, ncells;
} EdgeComp;
typedef struct {
  PetscInt node, kind;
} VertexComp;

PetscErrorCode NetworkCreate(MPI_Comm comm, HavocMesh mesh, Network *net)
{
  PetscFunctionBeginUser;
  PetscCall(PetscNew(net));
  (*net)->comm      = comm;
  (*net)->mesh      = mesh;
  (*net)->dx        = 1e-3;
  (*net)->min_cells = 3;
  (*net)->rho       = 1060;
  PetscFunctionReturn(0);
}

PetscErrorCode NetworkSetFromOptions(Network net)
{
  PetscFunctionBeginUser;
  PetscOptionsBegin(net->comm, "network_", "Discretization of the vessel network", NULL);
  PetscCall(HavocOptionsQuantity("-dx", "target cell size", "m", net->dx, &net->dx, NULL, HAVOC_POSITIVE, PETSC_MAX_REAL));
  PetscCall(HavocOptionsIntRange("-min_cells", "fewest cells in a vessel", net->min_cells, &net->min_cells, NULL, 1, 1000000));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

PetscErrorCode NetworkSetGravity(Network net, PetscReal rho, const PetscReal g[3])
{
  PetscFunctionBeginUser;
  PetscCheck(!net->dm, net->comm, PETSC_ERR_ARG_WRONGSTATE, "NetworkSetGravity() must come before NetworkSetUp()");
  net->rho = rho;
  for (int d = 0; d < 3; d++)
    net->g[d] = g[d];
  PetscFunctionReturn(0);
}

PetscReal NetworkVesselHead(Network net, const HavocMeshVessel *v, PetscReal x)
{
  PetscReal r[3];

  if (net->g[0] == 0 && net->g[1] == 0 && net->g[2] == 0) return 0;
  HavocMeshVesselPoint(net->mesh, v, x, r);
  return -net->rho * (net->g[0] * r[0] + net->g[1] * r[1] + net->g[2] * r[2]);
}

void NetworkVesselTube(const HavocMeshVessel *v, PetscReal x, HavocTube *tube)
{
  const PetscReal r = v->r_prox + (v->r_dist - v->r_prox) * x / v->length, Ar = PETSC_PI * r * r;

  tube->K      = v->beta / Ar;
  tube->sqrtAr = PetscSqrtReal(Ar);
  tube->pr     = v->p_ext + v->p_ref;
}

static NetworkVertexKind NodeKind(HavocMesh mesh, PetscInt n)
{
  if (mesh->nodes[n].inlet >= 0) return NETWORK_INLET;
  if (mesh->nodes[n].outlet >= 0) return NETWORK_OUTLET;
  return NETWORK_JUNCTION;
}

static PetscErrorCode NodeDofs(HavocMesh mesh, PetscInt n, PetscInt *ndof)
{
  const HavocOutletType *type;

  PetscFunctionBeginUser;
  switch (NodeKind(mesh, n)) {
  case NETWORK_JUNCTION:
    *ndof = mesh->nodes[n].degree;
    break;
  case NETWORK_INLET:
    *ndof = 0;
    break;
  case NETWORK_OUTLET:
    PetscCall(HavocOutletGet(mesh->vessels[mesh->nodes[n].outlet].outlet_type, &type));
    *ndof = type->nstate;
    break;
  }
  PetscFunctionReturn(0);
}

/* Rank 0 holds the whole graph before distribution: vertex i is mesh node i, edge i is mesh vessel i. */
static PetscErrorCode NetworkLayout(Network net)
{
  HavocMesh   mesh = net->mesh;
  PetscMPIInt rank;
  PetscInt   *edgelist = NULL, ne, eStart, eEnd, vStart, vEnd, ekey, vkey, subnet;
  EdgeComp   *ec       = NULL;
  VertexComp *vc       = NULL;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(net->comm, &rank));
  ne = rank ? 0 : mesh->nvessels;
  PetscCall(DMNetworkCreate(net->comm, &net->dm));
  PetscCall(DMNetworkRegisterComponent(net->dm, "havoc_vessel", sizeof(EdgeComp), &ekey));
  PetscCall(DMNetworkRegisterComponent(net->dm, "havoc_node", sizeof(VertexComp), &vkey));
  PetscCall(DMNetworkSetNumSubNetworks(net->dm, PETSC_DECIDE, 1));
  PetscCall(PetscMalloc1(2 * ne, &edgelist));
  for (PetscInt e = 0; e < ne; e++) {
    edgelist[2 * e]     = mesh->vessels[e].from;
    edgelist[2 * e + 1] = mesh->vessels[e].to;
  }
  PetscCall(DMNetworkAddSubnetwork(net->dm, "vessels", ne, edgelist, &subnet));
  PetscCall(DMNetworkLayoutSetUp(net->dm));
  PetscCall(DMNetworkGetEdgeRange(net->dm, &eStart, &eEnd));
  PetscCall(DMNetworkGetVertexRange(net->dm, &vStart, &vEnd));
  PetscCall(PetscMalloc2(eEnd - eStart, &ec, vEnd - vStart, &vc));
  for (PetscInt e = eStart; e < eEnd; e++) {
    EdgeComp *c = &ec[e - eStart];
    c->vessel   = e - eStart;
    c->ncells   = net->vessel_cells[c->vessel];
    PetscCall(DMNetworkAddComponent(net->dm, e, ekey, c, 2 * c->ncells));
  }
  for (PetscInt v = vStart; v < vEnd; v++) {
    VertexComp *c = &vc[v - vStart];
    PetscInt    ndof;
    c->node = v - vStart;
    c->kind = NodeKind(mesh, c->node);
    PetscCall(NodeDofs(mesh, c->node, &ndof));
    PetscCall(DMNetworkAddComponent(net->dm, v, vkey, c, ndof));
  }
  PetscCall(DMSetUp(net->dm));
  PetscCall(PetscFree(edgelist));
  PetscCall(PetscFree2(ec, vc));
  PetscCall(DMNetworkDistribute(&net->dm, 0));
  PetscFunctionReturn(0);
}

static int CompareVessel(const void *a, const void *b)
{
  const NetworkVessel *x = (const NetworkVessel *)a, *y = (const NetworkVessel *)b;
  return (x->vessel > y->vessel) - (x->vessel < y->vessel);
}

/* The slots of a node: its vessel ends in ascending vessel order, the same on every rank. ends[] lists
   2 * vessel + end for the node, from a CSR built in vessel order. */
static void NodeSlots(HavocMesh mesh, const PetscInt *ends, PetscInt nends, PetscReal rhophi, NetworkVertex *vx)
{
  vx->nslot = nends;
  for (PetscInt k = 0; k < nends; k++) {
    const HavocMeshVessel *v = &mesh->vessels[ends[k] / 2];
    vx->slot_vessel[k]       = ends[k] / 2;
    vx->slot_end[k]          = ends[k] % 2;
    NetworkVesselTube(v, vx->slot_end[k] ? v->length : 0, &vx->slot_tube[k]);
    vx->slot_tube[k].pr += rhophi;
  }
}

static PetscErrorCode NodeEnds(HavocMesh mesh, PetscInt **start, PetscInt **ends)
{
  PetscInt *fill;

  PetscFunctionBeginUser;
  PetscCall(PetscCalloc1(mesh->nnodes + 1, start));
  PetscCall(PetscMalloc1(2 * mesh->nvessels, ends));
  PetscCall(PetscMalloc1(mesh->nnodes, &fill));
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    (*start)[mesh->vessels[i].from + 1]++;
    (*start)[mesh->vessels[i].to + 1]++;
  }
  for (PetscInt n = 0; n < mesh->nnodes; n++) {
    (*start)[n + 1] += (*start)[n];
    fill[n] = (*start)[n];
  }
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    (*ends)[fill[mesh->vessels[i].from]++] = 2 * i;
    (*ends)[fill[mesh->vessels[i].to]++]   = 2 * i + 1;
  }
  PetscCall(PetscFree(fill));
  PetscFunctionReturn(0);
}

static PetscErrorCode NetworkLocalViews(Network net)
{
  HavocMesh  mesh = net->mesh;
  PetscInt   eStart, eEnd, vStart, vEnd, npool = 0, *start, *ends;
  PetscReal *pool;

  PetscFunctionBeginUser;
  PetscCall(NodeEnds(mesh, &start, &ends));
  PetscCall(DMNetworkGetEdgeRange(net->dm, &eStart, &eEnd));
  PetscCall(DMNetworkGetVertexRange(net->dm, &vStart, &vEnd));
  net->nvessels  = eEnd - eStart;
  net->nvertices = vEnd - vStart;
  PetscCall(PetscCalloc1(net->nvessels, &net->vessels));
  PetscCall(PetscCalloc1(net->nvertices, &net->vertices));
  for (PetscInt v = vStart; v < vEnd; v++) {
    NetworkVertex *vx = &net->vertices[v - vStart];
    VertexComp    *c;
    PetscInt       key, nvar;
    PetscCall(DMNetworkGetComponent(net->dm, v, 0, &key, (void **)&c, &nvar));
    vx->node  = c->node;
    vx->kind  = (NetworkVertexKind)c->kind;
    vx->point = v;
    vx->inlet = mesh->nodes[c->node].inlet;
    PetscCall(DMNetworkIsGhostVertex(net->dm, v, &vx->ghost));
    PetscCall(DMNetworkGetLocalVecOffset(net->dm, v, ALL_COMPONENTS, &vx->offset));
    NodeSlots(mesh, ends + start[c->node], start[c->node + 1] - start[c->node], net->node_rhophi[c->node], vx);
  }
  PetscCall(PetscFree(start));
  PetscCall(PetscFree(ends));
  for (PetscInt e = eStart; e < eEnd; e++) {
    NetworkVessel  *nv = &net->vessels[e - eStart];
    EdgeComp       *c;
    const PetscInt *cone;
    PetscInt        key, nvar;
    PetscCall(DMNetworkGetComponent(net->dm, e, 0, &key, (void **)&c, &nvar));
    nv->vessel      = c->vessel;
    nv->ncells      = c->ncells;
    nv->dx          = mesh->vessels[c->vessel].length / c->ncells;
    nv->cell_offset = net->cell_offsets[c->vessel];
    PetscCall(DMNetworkGetLocalVecOffset(net->dm, e, ALL_COMPONENTS, &nv->offset));
    PetscCall(DMNetworkGetConnectedVertices(net->dm, e, &cone));
    for (PetscInt end = 0; end < 2; end++) {
      const PetscInt node = end ? mesh->vessels[c->vessel].to : mesh->vessels[c->vessel].from;
      NetworkVertex *vx   = NULL;
      for (PetscInt k = 0; k < 2; k++)
        if (net->vertices[cone[k] - vStart].node == node) vx = &net->vertices[cone[k] - vStart];
      PetscCheck(vx, PETSC_COMM_SELF, PETSC_ERR_PLIB, "vessel %s: end node not found after distribution", mesh->vessels[c->vessel].name);
      nv->vertex[end] = (PetscInt)(vx - net->vertices);
      for (PetscInt s = 0; s < vx->nslot; s++)
        if (vx->slot_vessel[s] == c->vessel && vx->slot_end[s] == end) nv->slot[end] = s;
      vx->nlocal++;
    }
    npool += 5 * nv->ncells + 5 * (nv->ncells + 1);
  }
  if (net->nvessels > 1) qsort(net->vessels, net->nvessels, sizeof(NetworkVessel), CompareVessel);
  PetscCall(PetscMalloc1(npool, &net->pool));
  pool = net->pool;
  for (PetscInt i = 0; i < net->nvessels; i++) {
    NetworkVessel         *nv      = &net->vessels[i];
    const HavocMeshVessel *mv      = &mesh->vessels[nv->vessel];
    const PetscInt         M       = nv->ncells;
    PetscReal            **cell[5] = {&nv->K, &nv->invK, &nv->sqrtAr, &nv->pr, &nv->rhophi};
    PetscReal            **face[5] = {&nv->Kf, &nv->invKf, &nv->sqrtArf, &nv->prf, &nv->rhophif};
    for (PetscInt a = 0; a < 5; a++, pool += M)
      *cell[a] = pool;
    for (PetscInt a = 0; a < 5; a++, pool += M + 1)
      *face[a] = pool;
    for (PetscInt j = 0; j <= M; j++) {
      HavocTube t;
      if (j < M) {
        NetworkVesselTube(mv, (j + 0.5) * nv->dx, &t);
        nv->rhophi[j] = NetworkVesselHead(net, mv, (j + 0.5) * nv->dx);
        nv->K[j]      = t.K;
        nv->invK[j]   = 1 / t.K;
        nv->sqrtAr[j] = t.sqrtAr;
        nv->pr[j]     = t.pr + nv->rhophi[j];
      }
      /* the last face is at exactly x = L, where the junction and boundary solvers evaluate the law */
      NetworkVesselTube(mv, j == M ? mv->length : j * nv->dx, &t);
      /* the end faces take the node's head exactly, as the junction and boundary solvers do */
      nv->rhophif[j] = j == 0 ? net->node_rhophi[mv->from] : j == M ? net->node_rhophi[mv->to]
                                                                    : NetworkVesselHead(net, mv, j * nv->dx);
      nv->Kf[j]      = t.K;
      nv->invKf[j]   = 1 / t.K;
      nv->sqrtArf[j] = t.sqrtAr;
      nv->prf[j]     = t.pr + nv->rhophif[j];
    }
    net->ncells_local += M;
    net->ncells_max = PetscMax(net->ncells_max, M);
  }
  PetscFunctionReturn(0);
}

/* The slot exchange is the network's local-to-global (ADD) and global-to-local, restricted to the junction
   dofs: an embedded star forest of the section SF of the underlying DMPlex. */
static PetscErrorCode NetworkSlotSF(Network net)
{
  DM        plex;
  PetscSF   sf;
  PetscInt *leaves, nleaves = 0, rstart;
  Vec       g;

  PetscFunctionBeginUser;
  PetscCall(DMGetGlobalVector(net->dm, &g));
  PetscCall(VecGetOwnershipRange(g, &rstart, NULL));
  PetscCall(DMRestoreGlobalVector(net->dm, &g));
  for (PetscInt i = 0; i < net->nvertices; i++)
    if (net->vertices[i].kind == NETWORK_JUNCTION) {
      nleaves += net->vertices[i].nslot;
      if (!net->vertices[i].ghost) net->nslot_roots += net->vertices[i].nslot;
    }
  PetscCall(PetscMalloc1(nleaves, &leaves));
  PetscCall(PetscMalloc1(net->nslot_roots, &net->slot_roots));
  nleaves          = 0;
  net->nslot_roots = 0;
  for (PetscInt i = 0; i < net->nvertices; i++) {
    const NetworkVertex *vx = &net->vertices[i];
    PetscInt             goff;
    if (vx->kind != NETWORK_JUNCTION) continue;
    for (PetscInt s = 0; s < vx->nslot; s++)
      leaves[nleaves++] = vx->offset + s;
    if (vx->ghost) continue;
    PetscCall(DMNetworkGetGlobalVecOffset(net->dm, vx->point, ALL_COMPONENTS, &goff));
    for (PetscInt s = 0; s < vx->nslot; s++)
      net->slot_roots[net->nslot_roots++] = goff - rstart + s;
  }
  PetscCall(DMNetworkGetPlex(net->dm, &plex));
  PetscCall(DMGetSectionSF(plex, &sf));
  PetscCall(PetscSFCreateEmbeddedLeafSF(sf, nleaves, leaves, &net->trace_sf));
  PetscCall(PetscFree(leaves));
  PetscFunctionReturn(0);
}

#define NETWORK_MAX_CELLS 100000000

PetscErrorCode NetworkSetUp(Network net)
{
  HavocMesh mesh = net->mesh;

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc2(mesh->nvessels, &net->vessel_cells, mesh->nvessels, &net->cell_offsets));
  PetscCall(PetscMalloc1(mesh->nnodes, &net->node_rhophi));
  for (PetscInt n = 0; n < mesh->nnodes; n++)
    net->node_rhophi[n] = -net->rho * (net->g[0] * mesh->nodes[n].x[0] + net->g[1] * mesh->nodes[n].x[1] + net->g[2] * mesh->nodes[n].x[2]);
  net->ncells_total = 0;
  for (PetscInt i = 0; i < mesh->nvessels; i++) {
    net->vessel_cells[i] = HavocMeshVesselCells(&mesh->vessels[i], net->dx, net->min_cells);
    /* a limit far above any network that fits in memory, and below an overflow of the sum */
    HavocCheckUser(net->vessel_cells[i] <= NETWORK_MAX_CELLS - net->ncells_total, net->comm, "%s: the network would have more than %d cells at -network_dx %g mm (vessel '%s', line %" PetscInt_FMT ", is %g mm long): a larger cell size or shorter vessels", mesh->path, NETWORK_MAX_CELLS, (double)(net->dx * 1e3), mesh->vessels[i].name, mesh->vessels[i].line, (double)(mesh->vessels[i].length * 1e3));
    net->cell_offsets[i] = net->ncells_total;
    net->ncells_total += net->vessel_cells[i];
  }
  PetscCall(NetworkLayout(net));
  PetscCall(NetworkLocalViews(net));
  PetscCall(NetworkSlotSF(net));
  PetscFunctionReturn(0);
}

PetscErrorCode NetworkExchangeSlots(Network net, PetscScalar *local, PetscScalar *global)
{
  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < net->nslot_roots; i++)
    global[net->slot_roots[i]] = 0;
  PetscCall(PetscSFReduceBegin(net->trace_sf, MPIU_SCALAR, local, global, MPI_SUM));
  PetscCall(PetscSFReduceEnd(net->trace_sf, MPIU_SCALAR, local, global, MPI_SUM));
  PetscCall(PetscSFBcastBegin(net->trace_sf, MPIU_SCALAR, global, local, MPI_REPLACE));
  PetscCall(PetscSFBcastEnd(net->trace_sf, MPIU_SCALAR, global, local, MPI_REPLACE));
  PetscFunctionReturn(0);
}

PetscErrorCode NetworkDestroy(Network *net)
{
  PetscFunctionBeginUser;
  if (!*net) PetscFunctionReturn(0);
  PetscCall(PetscSFDestroy(&(*net)->trace_sf));
  PetscCall(DMDestroy(&(*net)->dm));
  PetscCall(PetscFree((*net)->vessels));
  PetscCall(PetscFree((*net)->vertices));
  PetscCall(PetscFree((*net)->pool));
  PetscCall(PetscFree((*net)->slot_roots));
  PetscCall(PetscFree2((*net)->vessel_cells, (*net)->cell_offsets));
  PetscCall(PetscFree((*net)->node_rhophi));
  PetscCall(PetscFree(*net));
  PetscFunctionReturn(0);
}
