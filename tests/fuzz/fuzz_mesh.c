/* libFuzzer target: the network-file reader (HavocMeshReadString).

   A bad file must come back as a user error with a message; a file that is accepted must also survive
   what havoc does next with a mesh: the summary of `havoc mesh info`, the cells of every vessel, points
   along every vessel, and writing it back, which must read again into the same network. */
#include "mesh.h"
#include "fuzz.h"

#include <petscviewer.h>

static void Fail(const char *what)
{
  fprintf(stderr, "fuzz_mesh: %s%s%s\n", what, fuzz_error[0] ? ": " : "", fuzz_error);
  abort();
}

static void Use(HavocMesh mesh)
{
  PetscViewer viewer;

  if (PetscViewerASCIIOpen(PETSC_COMM_SELF, "/dev/null", &viewer)) Fail("cannot open /dev/null");
  if (HavocMeshView(mesh, 1e-3, 3, viewer)) Fail("HavocMeshView failed on an accepted mesh");
  if (PetscViewerDestroy(&viewer)) Fail("PetscViewerDestroy failed");
  for (PetscInt e = 0; e < mesh->nvessels; e++) {
    const HavocMeshVessel *v = &mesh->vessels[e];
    PetscReal              r[3];

    if (HavocMeshVesselCells(v, 1e-3, 3) < 3) Fail("a vessel with fewer cells than the minimum");
    for (int k = 0; k <= 4; k++)
      HavocMeshVesselPoint(mesh, v, 0.25 * k * v->length, r);
  }
}

/* What HavocMeshWriteString writes must read back to a network of the same shape. */
static void RoundTrip(HavocMesh mesh)
{
  char     *text;
  HavocMesh again = NULL;

  if (HavocMeshWriteString(mesh, &text)) Fail("HavocMeshWriteString failed on an accepted mesh");
  if (HavocMeshReadString(PETSC_COMM_SELF, "fuzz-written.yaml", text, &again)) {
    fprintf(stderr, "fuzz_mesh: the written mesh does not read back:\n%s\n", text);
    Fail("HavocMeshReadString rejected what HavocMeshWriteString wrote");
  }
  if (again->nnodes != mesh->nnodes || again->nvessels != mesh->nvessels || again->ninlets != mesh->ninlets || again->noutlets != mesh->noutlets || again->npoints != mesh->npoints || again->nlandmarks != mesh->nlandmarks || again->nterritories != mesh->nterritories) Fail("the written mesh reads back with a different shape");
  /* the writer prints every quantity so that it reads back to the same double */
  for (PetscInt e = 0; e < mesh->nvessels; e++) {
    const HavocMeshVessel *a = &mesh->vessels[e], *b = &again->vessels[e];
    if (strcmp(a->name, b->name) || a->from != b->from || a->to != b->to || a->outlet_type != b->outlet_type) Fail("a vessel reads back different");
    if (a->length != b->length || a->r_prox != b->r_prox || a->r_dist != b->r_dist || a->beta != b->beta || a->p_ref != b->p_ref || a->p_ext != b->p_ext || a->phi != b->phi || a->zeta != b->zeta) Fail("a quantity of a vessel reads back different");
    for (PetscInt p = 0; p < HAVOC_OUTLET_MAXPARAM; p++)
      if (a->outlet_param[p] != b->outlet_param[p]) Fail("an outlet parameter reads back different");
  }
  for (PetscInt n = 0; n < mesh->nnodes; n++)
    for (PetscInt k = 0; k < 3; k++)
      if (mesh->nodes[n].x[k] != again->nodes[n].x[k]) Fail("a node position reads back different");
  if (HavocMeshDestroy(&again) || PetscFree(text)) Fail("cleanup failed");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  if (FuzzInitialize()) abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char     *text = FuzzString(data, size);
  HavocMesh mesh = NULL;

  fuzz_error[0] = 0;
  if (!HavocMeshReadString(PETSC_COMM_SELF, "fuzz.yaml", text, &mesh)) {
    Use(mesh);
    RoundTrip(mesh);
    if (HavocMeshDestroy(&mesh)) Fail("HavocMeshDestroy failed");
  } else if (mesh) Fail("a rejected mesh was returned");
  free(text);
  return 0;
}
