/* The XDMF description of a run's result.h5 (docs/postproc.md, "ParaView"): a light XML file that
   ParaView (and VisIt) open directly, naming datasets of result.h5 for the data:
   - the network as line segments (/network/cell_points, cell_segments), one element per cell, with the
     fields of /fields over time (a temporal collection, one hyperslab per snapshot);
   - the face map as a 2D co-rectilinear grid in the frontal plane (/tissue/origin, dx) with every map of
     /tissue over its report times. */
#include "post.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* one hyperslab of a [n0][n1] (or [n0][n1][n2]) dataset: entry k of the first dimension */
static void Slab(FILE *f, const char *file, const char *path, hsize_t k, int nd, const hsize_t dims[])
{
  if (nd == 2) {
    fprintf(f, "          <DataItem ItemType=\"HyperSlab\" Dimensions=\"%llu\" Type=\"HyperSlab\">\n", (unsigned long long)dims[1]);
    fprintf(f, "            <DataItem Dimensions=\"3 2\" Format=\"XML\">%llu 0 1 1 1 %llu</DataItem>\n", (unsigned long long)k, (unsigned long long)dims[1]);
  } else {
    fprintf(f, "          <DataItem ItemType=\"HyperSlab\" Dimensions=\"%llu %llu\" Type=\"HyperSlab\">\n", (unsigned long long)dims[1], (unsigned long long)dims[2]);
    fprintf(f, "            <DataItem Dimensions=\"3 3\" Format=\"XML\">%llu 0 0 1 1 1 1 %llu %llu</DataItem>\n", (unsigned long long)k, (unsigned long long)dims[1], (unsigned long long)dims[2]);
  }
  fprintf(f, "            <DataItem Dimensions=\"");
  for (int d = 0; d < nd; d++)
    fprintf(f, "%s%llu", d ? " " : "", (unsigned long long)dims[d]);
  fprintf(f, "\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">%s:%s</DataItem>\n", file, path);
  fprintf(f, "          </DataItem>\n");
}

/* the names of the datasets of a group with nd dimensions and first dimension n0, in creation order */
typedef struct {
  const HavocPost *p;
  const char      *group;
  int              nd;
  hsize_t          n0;
  PetscInt         n;
  char             name[16][64];
} Members;

static herr_t AddMember(hid_t g, const char *name, const H5L_info_t *info, void *ctx)
{
  Members *m = (Members *)ctx;
  char     path[256];
  int      nd;
  hsize_t  dims[4];

  (void)g;
  (void)info;
  snprintf(path, sizeof(path), "%s/%s", m->group, name);
  if (m->n >= 16 || HavocPostShape(m->p, path, &nd, dims) || nd != m->nd || dims[0] != m->n0) return 0;
  snprintf(m->name[m->n++], 64, "%s", name);
  return 0;
}

static PetscErrorCode ListMembers(const HavocPost *p, const char group[], int nd, hsize_t n0, Members *m)
{
  hid_t g;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(m, sizeof(*m)));
  m->p     = p;
  m->group = group;
  m->nd    = nd;
  m->n0    = n0;
  g        = H5Gopen2(p->file, group, H5P_DEFAULT);
  PetscCheck(g >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: cannot open group %s", p->h5path, group);
  PetscCheck(H5Literate(g, H5_INDEX_NAME, H5_ITER_INC, NULL, AddMember, m) >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: cannot list group %s", p->h5path, group);
  H5Gclose(g);
  PetscFunctionReturn(0);
}

static PetscErrorCode Network(const HavocPost *p, FILE *f, const char *file)
{
  int        nd;
  hsize_t    dp[4], ds[4], dt[4], n;
  PetscReal *t;
  Members    m;

  PetscFunctionBeginUser;
  PetscCall(HavocPostShape(p, "/network/cell_points", &nd, dp));
  PetscCall(HavocPostShape(p, "/network/cell_segments", &nd, ds));
  PetscCall(HavocPostShape(p, "/fields/t", &nd, dt));
  PetscCall(HavocPostRead(p, "/fields/t", &t, &n));
  PetscCall(ListMembers(p, "/fields", 2, dt[0], &m));
  fprintf(f, "    <Grid Name=\"network\" GridType=\"Collection\" CollectionType=\"Temporal\">\n");
  for (hsize_t k = 0; k < n; k++) {
    fprintf(f, "      <Grid Name=\"network\" GridType=\"Uniform\">\n");
    fprintf(f, "        <Time Value=\"%.17g\"/>\n", (double)t[k]);
    fprintf(f, "        <Topology TopologyType=\"Polyline\" NodesPerElement=\"2\" NumberOfElements=\"%llu\">\n", (unsigned long long)ds[0]);
    fprintf(f, "          <DataItem Dimensions=\"%llu 2\" NumberType=\"Int\" Format=\"HDF\">%s:/network/cell_segments</DataItem>\n", (unsigned long long)ds[0], file);
    fprintf(f, "        </Topology>\n");
    fprintf(f, "        <Geometry GeometryType=\"XYZ\">\n");
    fprintf(f, "          <DataItem Dimensions=\"%llu 3\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">%s:/network/cell_points</DataItem>\n", (unsigned long long)dp[0], file);
    fprintf(f, "        </Geometry>\n");
    for (PetscInt j = 0; j < m.n; j++) {
      char    path[128], units[32];
      hsize_t dims[2] = {dt[0], (hsize_t)p->nc};
      PetscCall(PetscSNPrintf(path, sizeof(path), "/fields/%s", m.name[j]));
      PetscCall(HavocPostAttribute(p, path, "units", units, sizeof(units)));
      fprintf(f, "        <Attribute Name=\"%s [%s]\" AttributeType=\"Scalar\" Center=\"Cell\">\n", m.name[j], units);
      Slab(f, file, path, k, 2, dims);
      fprintf(f, "        </Attribute>\n");
    }
    fprintf(f, "      </Grid>\n");
  }
  fprintf(f, "    </Grid>\n");
  PetscCall(PetscFree(t));
  PetscFunctionReturn(0);
}

static PetscErrorCode Face(const HavocPost *p, FILE *f, const char *file)
{
  int        nd;
  hsize_t    dz[4], n, no;
  PetscReal *t, *origin, dx;
  PetscBool  found;
  Members    m;

  PetscFunctionBeginUser;
  PetscCall(HavocPostRead(p, "/tissue/times", &t, &n));
  PetscCall(HavocPostRead(p, "/tissue/origin", &origin, &no));
  PetscCall(HavocPostAttributeReal(p, "/tissue", "dx", &dx, &found));
  PetscCheck(found && no == 2, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: /tissue has no dx attribute or origin (not a havoc result file)", p->h5path);
  PetscCall(HavocPostShape(p, "/tissue/zone", &nd, dz));
  PetscCall(ListMembers(p, "/tissue", 3, n, &m));
  fprintf(f, "    <Grid Name=\"face\" GridType=\"Collection\" CollectionType=\"Temporal\">\n");
  for (hsize_t k = 0; k < n; k++) {
    fprintf(f, "      <Grid Name=\"face\" GridType=\"Uniform\">\n");
    fprintf(f, "        <Time Value=\"%.17g\"/>\n", (double)t[k]);
    /* points: one more than the cells each way; origin and spacing in the order y, x */
    fprintf(f, "        <Topology TopologyType=\"2DCoRectMesh\" Dimensions=\"%llu %llu\"/>\n", (unsigned long long)dz[1] + 1, (unsigned long long)dz[2] + 1);
    fprintf(f, "        <Geometry GeometryType=\"ORIGIN_DXDY\">\n");
    fprintf(f, "          <DataItem Dimensions=\"2\" NumberType=\"Float\" Precision=\"8\" Format=\"XML\">%.17g %.17g</DataItem>\n", (double)origin[1], (double)origin[0]);
    fprintf(f, "          <DataItem Dimensions=\"2\" NumberType=\"Float\" Precision=\"8\" Format=\"XML\">%.17g %.17g</DataItem>\n", (double)dx, (double)dx);
    fprintf(f, "        </Geometry>\n");
    for (PetscInt j = 0; j < m.n; j++) {
      char path[128], units[32];
      PetscCall(PetscSNPrintf(path, sizeof(path), "/tissue/%s", m.name[j]));
      PetscCall(HavocPostAttribute(p, path, "units", units, sizeof(units)));
      fprintf(f, "        <Attribute Name=\"%s%s%s%s\" AttributeType=\"Scalar\" Center=\"Cell\">\n", m.name[j], units[0] ? " [" : "", units, units[0] ? "]" : "");
      Slab(f, file, path, k, 3, dz);
      fprintf(f, "        </Attribute>\n");
    }
    fprintf(f, "      </Grid>\n");
  }
  fprintf(f, "    </Grid>\n");
  PetscCall(PetscFree(t));
  PetscCall(PetscFree(origin));
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteBody(const HavocPost *p, FILE *f, const char file[], PetscInt *ngrids)
{
  PetscFunctionBeginUser;
  fprintf(f, "<?xml version=\"1.0\" ?>\n<!-- havoc: the data of %s for ParaView (File > Open, Xdmf3 reader) -->\n", file);
  fprintf(f, "<Xdmf Version=\"3.0\">\n  <Domain>\n");
  if (p->points && HavocPostHas(p, "/network/cell_segments") && HavocPostHas(p, "/fields/t")) {
    PetscCall(Network(p, f, file));
    (*ngrids)++;
  }
  if (HavocPostHas(p, "/tissue/zone")) {
    PetscCall(Face(p, f, file));
    (*ngrids)++;
  }
  fprintf(f, "  </Domain>\n</Xdmf>\n");
  PetscFunctionReturn(0);
}

PetscErrorCode HavocPostWriteXdmf(const HavocPost *p, const char path[], PetscInt *ngrids)
{
  char           tmp[PETSC_MAX_PATH_LEN], file[PETSC_MAX_PATH_LEN];
  const char    *base = strrchr(p->h5path, '/');
  FILE          *f;
  PetscErrorCode ierr;

  PetscFunctionBeginUser;
  *ngrids = 0;
  PetscCall(PetscSNPrintf(tmp, sizeof(tmp), "%s.tmp", path));
  /* the data file by its name: the XDMF file is meant to sit beside it */
  PetscCall(PetscStrncpy(file, base ? base + 1 : p->h5path, sizeof(file)));
  f = fopen(tmp, "w");
  PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot write '%s'", tmp);
  ierr = WriteBody(p, f, file, ngrids);
  if (fclose(f) || ierr || rename(tmp, path)) {
    (void)unlink(tmp);
    PetscCall(ierr);
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "cannot write '%s'", path);
  }
  PetscFunctionReturn(0);
}
