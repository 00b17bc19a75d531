/* Network: a HavocMesh discretized into finite-volume cells and distributed over the ranks with PETSc
   DMNetwork.

   Whole vessels (edges) go to ranks; rank 0 lays out the graph and DMNetworkDistribute moves it. Edge
   dofs are the cell states (A[0..M-1], Q[0..M-1]); a junction vertex has one dof per vessel end (the
   slot where that vessel writes its outgoing invariant); an outlet vertex carries its 0D state. The
   component data are plain indices into the mesh, which every rank holds. Local vessels are ordered by
   mesh index so that output rows are written in mesh order whatever the partition. */
#pragma once

#include "mesh.h"

#include <petscdmnetwork.h>

typedef enum { NETWORK_JUNCTION,
               NETWORK_INLET,
               NETWORK_OUTLET } NetworkVertexKind;

/* Gravity. With the potential phi(r) = -g . r (J/kg) of a point r of the face frame, blood at rest has a
   uniform head p + rho phi, not a uniform pressure. The solvers work in the head: the tube law of every
   cell, face and vessel end carries rho phi in its pressure offset (pr), which keeps the hydrostatic
   reconstruction exactly well-balanced under gravity, and continuity of the head at a node is
   continuity of the pressure since all its vessel ends share one point. Pressures reported to users are
   physical: the head minus rho phi. */

/* A vessel on this rank. */
typedef struct {
  PetscInt  vessel; /* mesh index */
  PetscInt  ncells;
  PetscReal dx;          /* [m] */
  PetscInt  offset;      /* local-Vec offset of its dofs: A then Q */
  PetscInt  cell_offset; /* index of its first cell among all cells, vessels in mesh order */
  PetscInt  vertex[2];   /* local vertex at x = 0 and x = L */
  PetscInt  slot[2];     /* its slot at those vertices (junctions) */
  /* Tube law at the cell centres [ncells] and faces [ncells + 1], pr including rho phi */
  PetscReal *K, *invK, *sqrtAr, *pr;
  PetscReal *Kf, *invKf, *sqrtArf, *prf;
  PetscReal *rhophi, *rhophif; /* rho phi at the cells and faces [Pa]: head minus pressure */
} NetworkVessel;

/* A vertex on this rank (owned or ghost). */
typedef struct {
  PetscInt          node;  /* mesh index */
  PetscInt          point; /* DMNetwork point */
  NetworkVertexKind kind;
  PetscBool         ghost;
  PetscInt          offset;                        /* local-Vec offset of its dofs */
  PetscInt          nslot;                         /* vessel ends at the node (all of them, local or not) */
  PetscInt          slot_vessel[HAVOC_MAX_DEGREE]; /* mesh vessel of each slot, ascending */
  PetscInt          slot_end[HAVOC_MAX_DEGREE];    /* 0: its x = 0 end, 1: its x = L end */
  HavocTube         slot_tube[HAVOC_MAX_DEGREE];   /* tube law at that end (pr including rho phi) */
  PetscInt          nlocal;                        /* slots whose vessel is on this rank */
  PetscInt          inlet;                         /* mesh inlet index (inlet vertices) */
} NetworkVertex;

typedef struct _p_Network *Network;
struct _p_Network {
  MPI_Comm       comm;
  HavocMesh      mesh;
  DM             dm;
  PetscReal      dx;                  /* target cell size [m] */
  PetscInt       min_cells;           /* fewest cells per vessel */
  PetscInt       nvessels, nvertices; /* on this rank */
  NetworkVessel *vessels;
  NetworkVertex *vertices;
  PetscInt       ncells_local, ncells_max;
  PetscInt       ncells_total; /* all ranks */
  PetscInt      *vessel_cells; /* [mesh->nvessels] cells of every vessel */
  PetscInt      *cell_offsets; /* [mesh->nvessels] first cell of every vessel */
  PetscSF        trace_sf;     /* junction slots: local (leaves) to owner (roots) */
  PetscInt       nslot_roots;
  PetscInt      *slot_roots; /* global-array offsets of the slots this rank owns */
  PetscReal     *pool;
  PetscReal      rho;         /* blood density for the hydrostatic head [kg/m^3] */
  PetscReal      g[3];        /* gravitational acceleration in the face frame [m/s^2] */
  PetscReal     *node_rhophi; /* [mesh->nnodes] rho phi at every node [Pa] */
};

PETSC_EXTERN PetscErrorCode NetworkCreate(MPI_Comm comm, HavocMesh mesh, Network *net);
PETSC_EXTERN PetscErrorCode NetworkSetFromOptions(Network net);
/* Gravity for the hydrostatic head (before NetworkSetUp): density and acceleration in the face frame. */
PETSC_EXTERN PetscErrorCode NetworkSetGravity(Network net, PetscReal rho, const PetscReal g[3]);
/* rho phi [Pa] at arc length x of a vessel, along its polyline (the length scaled to the polyline). */
PETSC_EXTERN PetscReal      NetworkVesselHead(Network net, const HavocMeshVessel *v, PetscReal x);
PETSC_EXTERN PetscErrorCode NetworkSetUp(Network net);
PETSC_EXTERN PetscErrorCode NetworkDestroy(Network *net);

/* Sums the slot values written on every rank into every rank's copy of each junction: what each local
   vessel wrote into its slot of a vertex in local[] (zero elsewhere) becomes, on every rank that has the
   vertex, the full set of slots. global[] is scratch in the global layout. */
PETSC_EXTERN PetscErrorCode NetworkExchangeSlots(Network net, PetscScalar *local, PetscScalar *global);

/* Tube law of a vessel at position x along it. */
PETSC_EXTERN void NetworkVesselTube(const HavocMeshVessel *v, PetscReal x, HavocTube *tube);
