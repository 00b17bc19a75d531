/* HavocMesh: a vessel network as read from a network file (docs/formats.md, "Network files").

   The mesh is plain data in SI units, identical on every rank: rank 0 reads the file and broadcasts its
   bytes, every rank parses them, so a bad file fails on all ranks with the same message. Indices are
   positions in the arrays below, never the ids written in the file. The mesh is validated when read:
   what HavocMeshRead returns is a connected network with at least one inlet in which every vessel can
   reach an outlet.

   Optional sections name points of the face (landmarks), which nodes and territory seeds may refer to,
   and the perfusion territories of the terminal vessels; a vessel may carry the published ranges of its
   radius and length, within which a virtual population is drawn (variants.h). */
#pragma once

#include "havoc.h"
#include "outlet.h"

#define HAVOC_NETWORK_FORMAT         "havoc-network"
#define HAVOC_NETWORK_FORMAT_VERSION 1

/* What a territory is made of: each kind of tissue gets its own damage rates. */
typedef enum {
  HAVOC_TISSUE_SKIN,
  HAVOC_TISSUE_RETINA,
  HAVOC_TISSUE_CHOROID,
  HAVOC_TISSUE_BRAIN,
  HAVOC_TISSUE_OTHER,
  HAVOC_NTISSUES
} HavocTissue;
PETSC_EXTERN const char *const HavocTissueNames[HAVOC_NTISSUES];

typedef struct {
  char      name[HAVOC_NAME_LEN];
  PetscReal x[3]; /* position in the face frame [m] */
  PetscInt  line;
} HavocMeshLandmark;

/* A perfusion territory: seeds (landmarks or points) and, for skin, an outline in the frontal plane. */
typedef struct {
  char        name[HAVOC_NAME_LEN];
  HavocTissue tissue;
  PetscInt    nseeds, seeds_offset;     /* seeds in mesh->seeds (3 reals each [m]) and mesh->seed_landmark */
  PetscInt    npolygon, polygon_offset; /* outline vertices in mesh->polygon (x, y [m]); none: npolygon 0 */
  PetscReal   area;                     /* [m^2]; 0 when not given */
  PetscInt    line;
} HavocMeshTerritory;

typedef struct {
  PetscInt  id;        /* as written in the file */
  PetscReal x[3];      /* position in the face frame [m] */
  PetscInt  landmark;  /* index in landmarks[] when placed with 'at', else -1 */
  PetscReal offset[3]; /* offset from that landmark [m] (kept so that writing is exact) */
  PetscInt  line;      /* line of the definition in the file */
  PetscInt  degree;    /* number of vessel ends at this node */
  PetscInt  inlet;     /* index in inlets[], or -1 */
  PetscInt  outlet;    /* index of the vessel whose outlet this node is, or -1 */
} HavocMeshNode;

typedef struct {
  char      name[HAVOC_NAME_LEN];
  PetscInt  from, to;      /* node indices; x = 0 at from, x = length at to */
  PetscReal length;        /* [m] */
  PetscInt  npoints;       /* interior polyline points (drawing and length) */
  PetscInt  points_offset; /* first point in mesh->points (3 reals each, [m]) */
  PetscReal r_prox;        /* lumen radius at the reference pressure at x = 0 [m] */
  PetscReal r_dist;        /* ... at x = length [m]; linear taper between */
  PetscReal E, h;          /* Young's modulus [Pa] and wall thickness [m]; 0 when beta was given */
  PetscReal beta;          /* (4/3) sqrt(pi) E h [Pa m] */
  PetscReal p_ref;         /* transmural pressure at which the radii are given [Pa] */
  PetscReal p_ext;         /* external pressure [Pa] */
  PetscReal phi;           /* Kelvin-Voigt wall viscosity [Pa s], kept as given so that writing is exact */
  PetscReal gamma_visc;    /* Kelvin-Voigt coefficient Gamma [Pa s m]; 0 for a purely elastic wall */
  PetscReal zeta;          /* velocity-profile exponent: friction K_R = 2 (zeta + 2) pi mu / rho */
  char      territory[HAVOC_NAME_LEN];
  PetscInt  territory_index; /* index in territories[], or -1 (always -1 in a file without territories) */
  PetscReal r_range[2];      /* published range of r_prox [m]; {0, 0} when not given */
  PetscReal L_range[2];      /* published range of the length [m]; {0, 0} when not given */
  PetscInt  outlet_type;     /* index in the outlet registry, or -1 */
  PetscInt  outlet_node;     /* node index of the terminal end, or -1 */
  PetscReal outlet_param[HAVOC_OUTLET_MAXPARAM];
  PetscInt  line;
} HavocMeshVessel;

typedef struct {
  char      name[HAVOC_NAME_LEN];
  PetscInt  node;  /* node index */
  PetscReal scale; /* multiplies the case's inlet waveform */
  PetscInt  line;
} HavocMeshInlet;

typedef struct _p_HavocMesh *HavocMesh;
struct _p_HavocMesh {
  char                path[PETSC_MAX_PATH_LEN]; /* file it was read from (or a label) */
  char                name[HAVOC_NAME_LEN];
  char                description[256];
  PetscInt            nnodes, nvessels, ninlets, npoints;
  HavocMeshNode      *nodes;
  HavocMeshVessel    *vessels;
  HavocMeshInlet     *inlets;
  PetscReal          *points;
  PetscInt            nlandmarks, nterritories, nseeds, npolygon;
  HavocMeshLandmark  *landmarks;
  HavocMeshTerritory *territories;
  PetscReal          *seeds;         /* 3 reals per seed [m] */
  PetscInt           *seed_landmark; /* landmark index of each seed, or -1 for a point */
  PetscReal          *polygon;       /* 2 reals per outline vertex [m] */
  PetscInt            noutlets;
  PetscInt            nloops; /* independent cycles: vessels - nodes + 1 */
};

PETSC_EXTERN PetscErrorCode HavocMeshRead(MPI_Comm comm, const char path[], HavocMesh *mesh);
/* Parses text as if it were the file `label` (tests and generated meshes). */
PETSC_EXTERN PetscErrorCode HavocMeshReadString(MPI_Comm comm, const char label[], const char text[], HavocMesh *mesh);
PETSC_EXTERN PetscErrorCode HavocMeshDestroy(HavocMesh *mesh);
/* Writes the mesh in the network format (round-trips through HavocMeshRead). Not collective: call it on
   one rank. */
PETSC_EXTERN PetscErrorCode HavocMeshWrite(HavocMesh mesh, const char path[]);
/* The same text in a string allocated with PetscMalloc (free with PetscFree). */
PETSC_EXTERN PetscErrorCode HavocMeshWriteString(HavocMesh mesh, char **text);
/* The same after a header: each of its lines becomes a comment line ("# ..."). */
PETSC_EXTERN PetscErrorCode HavocMeshWriteStringHeader(HavocMesh mesh, const char header[], char **text);
/* The point [m] of the face frame at arc length x [m] of vessel v: the length is mapped onto its polyline. */
PETSC_EXTERN void           HavocMeshVesselPoint(HavocMesh mesh, const HavocMeshVessel *v, PetscReal x, PetscReal r[3]);
PETSC_EXTERN PetscErrorCode HavocMeshFindVessel(HavocMesh mesh, const char name[], PetscInt *index);
/* The keys a vessel entry may have. */
PETSC_EXTERN PetscErrorCode HavocMeshVesselKeys(PetscInt *n, const char *const **keys);
PETSC_EXTERN PetscErrorCode HavocMeshFindLandmark(HavocMesh mesh, const char name[], PetscInt *index);
PETSC_EXTERN PetscErrorCode HavocMeshFindTerritory(HavocMesh mesh, const char name[], PetscInt *index);
/* Cells of a vessel at target spacing dx with at least min_cells cells. */
PETSC_EXTERN PetscInt HavocMeshVesselCells(const HavocMeshVessel *v, PetscReal dx, PetscInt min_cells);
/* The summary printed by `havoc mesh info`. */
PETSC_EXTERN PetscErrorCode HavocMeshView(HavocMesh mesh, PetscReal dx, PetscInt min_cells, PetscViewer viewer);

/* Synthetic networks for tests and scaling. */
typedef struct {
  PetscInt      nvessels; /* vessels of the tree, anastomoses not counted */
  PetscInt      nloops;   /* anastomoses added between tree nodes */
  unsigned long seed;
  PetscReal     r_root;                 /* inlet radius [m] */
  PetscReal     length_min, length_max; /* [m] */
  PetscReal     inflow_mean;            /* mean inflow used to size the outlets [m^3/s] */
  PetscReal     pressure_mean;          /* mean pressure the outlets are sized for [Pa] */
} HavocTreeSpec;

PETSC_EXTERN PetscErrorCode HavocTreeSpecDefault(HavocTreeSpec *spec);
PETSC_EXTERN PetscErrorCode HavocMeshGenerateTree(MPI_Comm comm, const HavocTreeSpec *spec, HavocMesh *mesh);

/* Writes the network for other tools: "csv" (one row per vessel, SI units in the header) or "vtk" (legacy
   VTK polydata, one polyline per vessel through its points, coordinates in mm, with radii, length,
   zeta and outlet model as cell data, for ParaView). Atomic: a temporary file renamed when complete. */
PETSC_EXTERN PetscErrorCode HavocMeshExport(MPI_Comm comm, HavocMesh mesh, const char format[], const char path[]);
