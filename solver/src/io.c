/* result.h5 with parallel HDF5 (MPI-IO, collective transfers). */
#include "io.h"
#include "outlet.h"

#include <errno.h>
#include <hdf5.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct _p_HavocResult {
  MPI_Comm  comm;
  char      path[PETSC_MAX_PATH_LEN];
  hid_t     file, dxpl;
  hid_t     probes_t, probes_p, probes_q, probes_a;
  PetscInt  nvessels, nfrac, nt_probes;
  hid_t     fields_t, fields[HAVOC_MAX_FIELDS];
  PetscInt  ncells, nt_fields, nfields;
  PetscBool reopened; /* HavocResultOpen: the series exist and are continued */
};

/* HDF5 reports failures by a negative return; its own error stack is silenced and replaced by one message
   naming the file. */
#define H5Check(r, expr)                                                                                                 \
  do {                                                                                                                   \
    if ((expr) < 0) SETERRQ((r)->comm, PETSC_ERR_FILE_WRITE, "cannot write %s: HDF5 call failed: %s", (r)->path, #expr); \
  } while (0)

/* A result file created (truncating any file there) or reopened to continue it, for MPI-IO with collective
   transfers, with no series open yet. */
static PetscErrorCode ResultInit(MPI_Comm comm, const char path[], PetscBool reopen, HavocResult *result)
{
  HavocResult r;
  hid_t       fapl;

  PetscFunctionBeginUser;
  PetscCall(PetscNew(&r));
  r->comm = comm;
  PetscCall(PetscStrncpy(r->path, path, sizeof(r->path)));
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  fapl = H5Pcreate(H5P_FILE_ACCESS);
  H5Check(r, H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL));
  r->file = reopen ? H5Fopen(path, H5F_ACC_RDWR, fapl) : H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  H5Pclose(fapl);
  if (r->file < 0) {
    PetscCall(PetscFree(r));
    SETERRQ(comm, PETSC_ERR_FILE_OPEN, reopen ? "cannot open %s to continue it" : "cannot create %s", path);
  }
  r->dxpl = H5Pcreate(H5P_DATASET_XFER);
  H5Check(r, H5Pset_dxpl_mpio(r->dxpl, H5FD_MPIO_COLLECTIVE));
  r->probes_t = r->probes_p = r->probes_q = r->probes_a = -1;
  r->fields_t                                           = -1;
  for (int k = 0; k < HAVOC_MAX_FIELDS; k++)
    r->fields[k] = -1;
  r->reopened = reopen;
  *result     = r;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocResultCreate(MPI_Comm comm, const char path[], HavocResult *result)
{
  PetscFunctionBeginUser;
  PetscCall(ResultInit(comm, path, PETSC_FALSE, result));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocResultOpen(MPI_Comm comm, const char path[], HavocResult *result)
{
  PetscFunctionBeginUser;
  PetscCall(ResultInit(comm, path, PETSC_TRUE, result));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocResultFlush(HavocResult r)
{
  PetscFunctionBeginUser;
  H5Check(r, H5Fflush(r->file, H5F_SCOPE_GLOBAL));
  PetscFunctionReturn(0);
}

/* An existing series of a reopened file, and its number of rows. */
static PetscErrorCode OpenSeries(HavocResult r, const char name[], hid_t *dset, PetscInt *rows)
{
  hsize_t dims[3];
  hid_t   space;

  PetscFunctionBeginUser;
  *dset = H5Dopen2(r->file, name, H5P_DEFAULT);
  PetscCheck(*dset >= 0, r->comm, PETSC_ERR_FILE_UNEXPECTED, "%s: no dataset %s to continue", r->path, name);
  space = H5Dget_space(*dset);
  H5Sget_simple_extent_dims(space, dims, NULL);
  H5Sclose(space);
  if (rows) *rows = (PetscInt)dims[0];
  PetscFunctionReturn(0);
}

static void CloseIf(hid_t *d)
{
  if (*d >= 0) H5Dclose(*d);
  *d = -1;
}

PetscErrorCode HavocResultClose(HavocResult *result)
{
  HavocResult r = *result;

  PetscFunctionBeginUser;
  if (!r) PetscFunctionReturn(0);
  CloseIf(&r->probes_t);
  CloseIf(&r->probes_p);
  CloseIf(&r->probes_q);
  CloseIf(&r->probes_a);
  CloseIf(&r->fields_t);
  for (int k = 0; k < HAVOC_MAX_FIELDS; k++)
    CloseIf(&r->fields[k]);
  H5Pclose(r->dxpl);
  H5Check(r, H5Fclose(r->file));
  PetscCall(PetscFree(*result));
  PetscFunctionReturn(0);
}

static PetscErrorCode StringAttribute(HavocResult r, hid_t obj, const char name[], const char value[])
{
  hid_t type = H5Tcopy(H5T_C_S1), space = H5Screate(H5S_SCALAR), attr;

  PetscFunctionBeginUser;
  H5Check(r, H5Tset_size(type, strlen(value) + 1));
  attr = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  H5Check(r, attr);
  H5Check(r, H5Awrite(attr, type, value));
  H5Aclose(attr);
  H5Sclose(space);
  H5Tclose(type);
  PetscFunctionReturn(0);
}

static PetscErrorCode RealAttribute(HavocResult r, hid_t obj, const char name[], PetscReal value)
{
  hid_t  space = H5Screate(H5S_SCALAR), attr;
  double v     = value;

  PetscFunctionBeginUser;
  attr = H5Acreate2(obj, name, H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT);
  H5Check(r, attr);
  H5Check(r, H5Awrite(attr, H5T_NATIVE_DOUBLE, &v));
  H5Aclose(attr);
  H5Sclose(space);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocResultSetAttribute(HavocResult r, const char name[], const char value[])
{
  PetscFunctionBeginUser;
  PetscCall(StringAttribute(r, r->file, name, value));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocResultSetAttributeReal(HavocResult r, const char name[], PetscReal value, const char units[])
{
  char uname[256];

  PetscFunctionBeginUser;
  PetscCall(RealAttribute(r, r->file, name, value));
  if (units) {
    PetscCall(PetscSNPrintf(uname, sizeof(uname), "%s_units", name));
    PetscCall(StringAttribute(r, r->file, uname, units));
  }
  PetscFunctionReturn(0);
}

/* A fixed-size dataset written whole by rank 0 (the others take part with an empty selection). */
static PetscErrorCode WriteSmall(HavocResult r, hid_t group, const char name[], hid_t type, int rank, const hsize_t dims[], const void *data, const char units[])
{
  hid_t       space = H5Screate_simple(rank, dims, NULL), dset, mspace;
  PetscMPIInt me;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(r->comm, &me));
  dset = H5Dcreate2(group, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Check(r, dset);
  mspace = H5Screate_simple(rank, dims, NULL);
  if (me) {
    H5Sselect_none(space);
    H5Sselect_none(mspace);
  }
  H5Check(r, H5Dwrite(dset, type, mspace, space, r->dxpl, data));
  if (units) PetscCall(StringAttribute(r, dset, "units", units));
  H5Sclose(mspace);
  H5Sclose(space);
  H5Dclose(dset);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocResultWriteNetwork(HavocResult r, HavocMesh mesh, const PetscInt ncells[], const PetscInt cell_offsets[], const PetscReal dx[])
{
  const PetscInt nv = mesh->nvessels, nn = mesh->nnodes, ni = mesh->ninlets, np = HAVOC_OUTLET_MAXPARAM;
  hid_t          g     = H5Gcreate2(r->file, "network", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), strtype;
  hsize_t        dv[1] = {(hsize_t)nv}, dn[1] = {(hsize_t)nn}, di[1] = {(hsize_t)ni}, dxyz[2] = {(hsize_t)nn, 3}, dpar[2] = {(hsize_t)nv, (hsize_t)np};
  char(*names)[HAVOC_NAME_LEN], (*territory)[HAVOC_NAME_LEN], (*outlet)[HAVOC_NAME_LEN], (*inlet_name)[HAVOC_NAME_LEN];
  int    *from, *to, *nc, *co, *nid, *inlet_node;
  double *real, *xyz, *par, *inlet_scale;
  /* per-vessel real properties: name, unit, and how to read each from a vessel */
  enum { LEN,
         RP,
         RD,
         BETA,
         E,
         H,
         PREF,
         PEXT,
         GAMMA,
         ZETA,
         DX,
         NREAL };
  const char *real_name[NREAL] = {"vessel_length", "vessel_radius_prox", "vessel_radius_dist", "vessel_beta", "vessel_E", "vessel_h", "vessel_reference_pressure", "vessel_external_pressure", "vessel_viscoelastic_gamma", "vessel_zeta", "vessel_dx"};
  const char *real_unit[NREAL] = {"m", "m", "m", "Pa m", "Pa", "m", "Pa", "Pa", "Pa s m", "1", "m"};

  PetscFunctionBeginUser;
  H5Check(r, g);
  PetscCall(PetscCalloc4(nv, &names, nv, &territory, nv, &outlet, ni, &inlet_name));
  PetscCall(PetscMalloc6(nv, &from, nv, &to, nv, &nc, nv, &co, nn, &nid, ni, &inlet_node));
  PetscCall(PetscMalloc4(NREAL * nv, &real, 3 * nn, &xyz, np * nv, &par, ni, &inlet_scale));
  for (PetscInt i = 0; i < nv; i++) {
    const HavocMeshVessel *v             = &mesh->vessels[i];
    const PetscReal        values[NREAL] = {v->length, v->r_prox, v->r_dist, v->beta, v->E, v->h, v->p_ref, v->p_ext, v->gamma_visc, v->zeta, dx[i]};
    PetscCall(PetscStrncpy(names[i], v->name, HAVOC_NAME_LEN));
    PetscCall(PetscStrncpy(territory[i], v->territory, HAVOC_NAME_LEN));
    if (v->outlet_type >= 0) {
      const HavocOutletType *type;
      PetscCall(HavocOutletGet(v->outlet_type, &type));
      PetscCall(PetscStrncpy(outlet[i], type->name, HAVOC_NAME_LEN));
    }
    for (PetscInt k = 0; k < np; k++)
      par[i * np + k] = v->outlet_type >= 0 ? v->outlet_param[k] : 0;
    for (PetscInt k = 0; k < NREAL; k++)
      real[k * nv + i] = values[k];
    from[i] = (int)mesh->nodes[v->from].id;
    to[i]   = (int)mesh->nodes[v->to].id;
    nc[i]   = (int)ncells[i];
    co[i]   = (int)cell_offsets[i];
  }
  for (PetscInt n = 0; n < nn; n++) {
    nid[n] = (int)mesh->nodes[n].id;
    for (PetscInt d = 0; d < 3; d++)
      xyz[3 * n + d] = mesh->nodes[n].x[d];
  }
  for (PetscInt k = 0; k < ni; k++) {
    PetscCall(PetscStrncpy(inlet_name[k], mesh->inlets[k].name, HAVOC_NAME_LEN));
    inlet_node[k]  = (int)mesh->nodes[mesh->inlets[k].node].id;
    inlet_scale[k] = mesh->inlets[k].scale;
  }
  strtype = H5Tcopy(H5T_C_S1);
  H5Check(r, H5Tset_size(strtype, HAVOC_NAME_LEN));
  PetscCall(WriteSmall(r, g, "vessel_name", strtype, 1, dv, names, NULL));
  PetscCall(WriteSmall(r, g, "vessel_territory", strtype, 1, dv, territory, NULL));
  PetscCall(WriteSmall(r, g, "vessel_outlet_model", strtype, 1, dv, outlet, NULL));
  PetscCall(WriteSmall(r, g, "inlet_name", strtype, 1, di, inlet_name, NULL));
  H5Tclose(strtype);
  PetscCall(WriteSmall(r, g, "vessel_from", H5T_NATIVE_INT, 1, dv, from, "node id"));
  PetscCall(WriteSmall(r, g, "vessel_to", H5T_NATIVE_INT, 1, dv, to, "node id"));
  for (PetscInt k = 0; k < NREAL; k++)
    PetscCall(WriteSmall(r, g, real_name[k], H5T_NATIVE_DOUBLE, 1, dv, real + k * nv, real_unit[k]));
  PetscCall(WriteSmall(r, g, "vessel_outlet_param", H5T_NATIVE_DOUBLE, 2, dpar, par, "SI, in the order of the model's parameters (docs/formats.md)"));
  PetscCall(WriteSmall(r, g, "vessel_cells", H5T_NATIVE_INT, 1, dv, nc, "1"));
  PetscCall(WriteSmall(r, g, "vessel_cell_offset", H5T_NATIVE_INT, 1, dv, co, "1"));
  PetscCall(WriteSmall(r, g, "node_id", H5T_NATIVE_INT, 1, dn, nid, "1"));
  PetscCall(WriteSmall(r, g, "node_xyz", H5T_NATIVE_DOUBLE, 2, dxyz, xyz, "m"));
  PetscCall(WriteSmall(r, g, "inlet_node", H5T_NATIVE_INT, 1, di, inlet_node, "node id"));
  PetscCall(WriteSmall(r, g, "inlet_scale", H5T_NATIVE_DOUBLE, 1, di, inlet_scale, "1"));
  {
    /* the cells as line segments in the face frame (for ParaView and the pictures): vessel i's cell
       boundaries x = k dx, k = 0 .. cells, on its polyline, are points offset + i + k */
    PetscInt ncell = 0;
    double  *pts;
    int     *seg;
    hsize_t  dp[2], ds[2];
    for (PetscInt i = 0; i < nv; i++)
      ncell += ncells[i];
    PetscCall(PetscMalloc2(3 * (ncell + nv), &pts, 2 * ncell, &seg));
    for (PetscInt i = 0; i < nv; i++)
      for (PetscInt k = 0; k <= ncells[i]; k++) {
        const PetscInt j = cell_offsets[i] + i + k;
        PetscReal      x[3];
        HavocMeshVesselPoint(mesh, &mesh->vessels[i], PetscMin(k * dx[i], mesh->vessels[i].length), x);
        for (PetscInt d = 0; d < 3; d++)
          pts[3 * j + d] = x[d];
        if (k < ncells[i]) {
          seg[2 * (cell_offsets[i] + k)]     = (int)j;
          seg[2 * (cell_offsets[i] + k) + 1] = (int)(j + 1);
        }
      }
    dp[0] = (hsize_t)(ncell + nv);
    dp[1] = 3;
    ds[0] = (hsize_t)ncell;
    ds[1] = 2;
    PetscCall(WriteSmall(r, g, "cell_points", H5T_NATIVE_DOUBLE, 2, dp, pts, "m"));
    PetscCall(WriteSmall(r, g, "cell_segments", H5T_NATIVE_INT, 2, ds, seg, "1"));
    PetscCall(PetscFree2(pts, seg));
  }
  PetscCall(StringAttribute(r, g, "name", mesh->name));
  PetscCall(StringAttribute(r, g, "source", mesh->path));
  PetscCall(PetscFree4(names, territory, outlet, inlet_name));
  PetscCall(PetscFree6(from, to, nc, co, nid, inlet_node));
  PetscCall(PetscFree4(real, xyz, par, inlet_scale));
  H5Gclose(g);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocResultWriteArray(HavocResult r, const char group[], const char name[], PetscInt n0, PetscInt n1, const PetscReal data[], const char units[])
{
  hsize_t dims[2] = {(hsize_t)n0, (hsize_t)n1};
  hid_t   g;

  PetscFunctionBeginUser;
  g = H5Lexists(r->file, group, H5P_DEFAULT) > 0 ? H5Gopen2(r->file, group, H5P_DEFAULT) : H5Gcreate2(r->file, group, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Check(r, g);
  PetscCall(WriteSmall(r, g, name, H5T_NATIVE_DOUBLE, n1 > 0 ? 2 : 1, dims, data, units));
  H5Gclose(g);
  PetscFunctionReturn(0);
}

/* An extendible dataset, growing along its first dimension. */
static PetscErrorCode CreateSeries(HavocResult r, hid_t group, const char name[], int rank, const hsize_t dims[], const hsize_t chunk[], const char units[], hid_t *dset)
{
  hsize_t start[3], max[3];
  hid_t   space, dcpl = H5Pcreate(H5P_DATASET_CREATE);

  PetscFunctionBeginUser;
  for (int d = 0; d < rank; d++) {
    start[d] = d ? dims[d] : 0;
    max[d]   = d ? dims[d] : H5S_UNLIMITED;
  }
  space = H5Screate_simple(rank, start, max);
  H5Check(r, H5Pset_chunk(dcpl, rank, chunk));
  *dset = H5Dcreate2(group, name, H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
  H5Check(r, *dset);
  PetscCall(StringAttribute(r, *dset, "units", units));
  H5Pclose(dcpl);
  H5Sclose(space);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocResultProbesCreate(HavocResult r, PetscInt nvessels, PetscInt nfrac, const PetscReal frac[], PetscReal period)
{
  hid_t   g;
  hsize_t dims[3] = {0, (hsize_t)nvessels, (hsize_t)nfrac}, chunk[3] = {256, 1, (hsize_t)nfrac}, tchunk[1] = {1024}, df[1] = {(hsize_t)nfrac};

  PetscFunctionBeginUser;
  r->nvessels = nvessels;
  r->nfrac    = nfrac;
  if (r->reopened) {
    PetscCall(OpenSeries(r, "/probes/t", &r->probes_t, &r->nt_probes));
    PetscCall(OpenSeries(r, "/probes/p", &r->probes_p, NULL));
    PetscCall(OpenSeries(r, "/probes/q", &r->probes_q, NULL));
    PetscCall(OpenSeries(r, "/probes/a", &r->probes_a, NULL));
    PetscFunctionReturn(0);
  }
  g = H5Gcreate2(r->file, "probes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Check(r, g);
  PetscCall(WriteSmall(r, g, "fractions", H5T_NATIVE_DOUBLE, 1, df, frac, "fraction of the vessel length from its x = 0 end"));
  PetscCall(CreateSeries(r, g, "t", 1, dims, tchunk, "s", &r->probes_t));
  PetscCall(CreateSeries(r, g, "p", 3, dims, chunk, "Pa", &r->probes_p));
  PetscCall(CreateSeries(r, g, "q", 3, dims, chunk, "m^3/s", &r->probes_q));
  PetscCall(CreateSeries(r, g, "a", 3, dims, chunk, "m^2", &r->probes_a));
  PetscCall(RealAttribute(r, g, "period", period));
  PetscCall(StringAttribute(r, g, "period_units", "s"));
  PetscCall(StringAttribute(r, g, "layout", "p, q, a: [time][vessel][fraction]; vessel rows in mesh order (/network/vessel_name)"));
  H5Gclose(g);
  PetscFunctionReturn(0);
}

/* Extends a series by n rows and selects, in the file, rows [old, old + n) and the listed blocks of the
   other dimensions: blocks[i] = (start, count) along dimension 1. */
static PetscErrorCode ExtendSelect(HavocResult r, hid_t dset, int rank, hsize_t old, hsize_t n, PetscInt nblock, const PetscInt bstart[], const PetscInt bcount[], hid_t *fspace)
{
  hsize_t dims[3], start[3] = {old, 0, 0}, count[3];

  PetscFunctionBeginUser;
  *fspace = H5Dget_space(dset);
  H5Sget_simple_extent_dims(*fspace, dims, NULL);
  H5Sclose(*fspace);
  dims[0] = old + n;
  H5Check(r, H5Dset_extent(dset, dims));
  *fspace = H5Dget_space(dset);
  H5Sselect_none(*fspace);
  for (PetscInt b = 0; b < nblock; b++) {
    count[0] = n;
    if (rank > 1) {
      start[1] = (hsize_t)bstart[b];
      count[1] = (hsize_t)bcount[b];
    }
    if (rank > 2) count[2] = dims[2];
    H5Check(r, H5Sselect_hyperslab(*fspace, H5S_SELECT_OR, start, NULL, count, NULL));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteSelection(HavocResult r, hid_t dset, hid_t fspace, hsize_t nvalues, const PetscReal data[])
{
  hsize_t one    = nvalues ? nvalues : 1;
  hid_t   mspace = H5Screate_simple(1, &one, NULL);

  PetscFunctionBeginUser;
  if (!nvalues) H5Sselect_none(mspace);
  H5Check(r, H5Dwrite(dset, H5T_NATIVE_DOUBLE, mspace, fspace, r->dxpl, data));
  H5Sclose(mspace);
  H5Sclose(fspace);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocResultProbesAppend(HavocResult r, PetscInt nt, const PetscReal t[], PetscInt nlocal, const PetscInt vessel[], const PetscReal p[], const PetscReal q[], const PetscReal a[])
{
  PetscMPIInt      me;
  hid_t            fspace;
  const hid_t      dsets[3] = {r->probes_p, r->probes_q, r->probes_a};
  const PetscReal *data[3]  = {p, q, a};
  PetscInt        *ones;
  const PetscInt   zero = 0, nt1 = 1;

  PetscFunctionBeginUser;
  if (!nt) PetscFunctionReturn(0);
  PetscCallMPI(MPI_Comm_rank(r->comm, &me));
  PetscCall(ExtendSelect(r, r->probes_t, 1, (hsize_t)r->nt_probes, (hsize_t)nt, me ? 0 : 1, &zero, &nt1, &fspace));
  PetscCall(WriteSelection(r, r->probes_t, fspace, me ? 0 : (hsize_t)nt, t));
  PetscCall(PetscMalloc1(nlocal, &ones));
  for (PetscInt i = 0; i < nlocal; i++)
    ones[i] = 1;
  for (PetscInt k = 0; k < 3; k++) {
    PetscCall(ExtendSelect(r, dsets[k], 3, (hsize_t)r->nt_probes, (hsize_t)nt, nlocal, vessel, ones, &fspace));
    PetscCall(WriteSelection(r, dsets[k], fspace, (hsize_t)(nt * nlocal * r->nfrac), data[k]));
  }
  PetscCall(PetscFree(ones));
  r->nt_probes += nt;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocResultFieldsCreate(HavocResult r, PetscInt ncells_total, PetscInt nfields, const char *const names[], const char *const units[])
{
  hid_t   g;
  hsize_t dims[2] = {0, (hsize_t)ncells_total}, chunk[2] = {1, (hsize_t)PetscMin(ncells_total, 65536)}, tchunk[1] = {64};

  PetscFunctionBeginUser;
  PetscCheck(nfields <= HAVOC_MAX_FIELDS, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "at most %d fields", HAVOC_MAX_FIELDS);
  r->ncells  = ncells_total;
  r->nfields = nfields;
  if (r->reopened) {
    PetscCall(OpenSeries(r, "/fields/t", &r->fields_t, &r->nt_fields));
    for (PetscInt k = 0; k < nfields; k++) {
      char name[256];
      PetscCall(PetscSNPrintf(name, sizeof(name), "/fields/%s", names[k]));
      PetscCall(OpenSeries(r, name, &r->fields[k], NULL));
    }
    PetscFunctionReturn(0);
  }
  g = H5Gcreate2(r->file, "fields", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Check(r, g);
  PetscCall(CreateSeries(r, g, "t", 1, dims, tchunk, "s", &r->fields_t));
  for (PetscInt k = 0; k < nfields; k++)
    PetscCall(CreateSeries(r, g, names[k], 2, dims, chunk, units[k], &r->fields[k]));
  PetscCall(StringAttribute(r, g, "layout", "[time][cell]; the cells of vessel i are /network/vessel_cell_offset[i] + [0, /network/vessel_cells[i]), from x = 0"));
  H5Gclose(g);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocResultFieldsAppend(HavocResult r, PetscReal t, PetscInt nlocal, const PetscInt offset[], const PetscInt count[], const PetscReal *const data[])
{
  PetscMPIInt    me;
  hid_t          fspace;
  const PetscInt zero = 0, one = 1;
  PetscInt       n = 0;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(r->comm, &me));
  for (PetscInt i = 0; i < nlocal; i++)
    n += count[i];
  PetscCall(ExtendSelect(r, r->fields_t, 1, (hsize_t)r->nt_fields, 1, me ? 0 : 1, &zero, &one, &fspace));
  PetscCall(WriteSelection(r, r->fields_t, fspace, me ? 0 : 1, &t));
  for (PetscInt k = 0; k < r->nfields; k++) {
    PetscCall(ExtendSelect(r, r->fields[k], 2, (hsize_t)r->nt_fields, 1, nlocal, offset, count, &fspace));
    PetscCall(WriteSelection(r, r->fields[k], fspace, (hsize_t)n, data[k]));
  }
  r->nt_fields++;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocResultWriteSteady(HavocResult r, PetscInt nvessels, const PetscReal Q[], const PetscReal p0[], const PetscReal pL[], PetscInt iterations)
{
  hid_t   g     = H5Gcreate2(r->file, "steady", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  hsize_t dv[1] = {(hsize_t)nvessels};

  PetscFunctionBeginUser;
  H5Check(r, g);
  PetscCall(WriteSmall(r, g, "flow", H5T_NATIVE_DOUBLE, 1, dv, Q, "m^3/s"));
  PetscCall(WriteSmall(r, g, "pressure_0", H5T_NATIVE_DOUBLE, 1, dv, p0, "Pa"));
  PetscCall(WriteSmall(r, g, "pressure_L", H5T_NATIVE_DOUBLE, 1, dv, pL, "Pa"));
  PetscCall(RealAttribute(r, g, "newton_iterations", (PetscReal)iterations));
  PetscCall(StringAttribute(r, g, "layout", "[vessel] in mesh order; flow from x = 0 to x = L; pressures at the two ends"));
  H5Gclose(g);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocResultWriteBolus(HavocResult r, PetscInt nrows, const PetscReal t[], const PetscInt id[], const PetscInt vessel[], const PetscReal xa[], const PetscReal xb[], const PetscReal V[], const PetscInt state[], PetscInt nvessels, const PetscReal bed[], const PetscReal capillary[])
{
  hid_t   g     = H5Gcreate2(r->file, "bolus", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  hsize_t dr[1] = {(hsize_t)nrows}, dv[1] = {(hsize_t)nvessels};
  hid_t   itype = sizeof(PetscInt) == 8 ? H5T_NATIVE_INT64 : H5T_NATIVE_INT32;

  PetscFunctionBeginUser;
  H5Check(r, g);
  if (nrows > 0) { /* HDF5 cannot write an empty selection collectively: no gel in a vessel, no record */
    PetscCall(WriteSmall(r, g, "trajectory_t", H5T_NATIVE_DOUBLE, 1, dr, t, "s"));
    PetscCall(WriteSmall(r, g, "trajectory_slug", itype, 1, dr, id, NULL));
    PetscCall(WriteSmall(r, g, "trajectory_vessel", itype, 1, dr, vessel, NULL));
    PetscCall(WriteSmall(r, g, "trajectory_xa", H5T_NATIVE_DOUBLE, 1, dr, xa, "m"));
    PetscCall(WriteSmall(r, g, "trajectory_xb", H5T_NATIVE_DOUBLE, 1, dr, xb, "m"));
    PetscCall(WriteSmall(r, g, "trajectory_volume", H5T_NATIVE_DOUBLE, 1, dr, V, "m^3"));
    PetscCall(WriteSmall(r, g, "trajectory_state", itype, 1, dr, state, NULL));
  }
  PetscCall(WriteSmall(r, g, "bed_volume", H5T_NATIVE_DOUBLE, 1, dv, bed, "m^3"));
  PetscCall(WriteSmall(r, g, "bed_capillary_volume", H5T_NATIVE_DOUBLE, 1, dv, capillary, "m^3"));
  PetscCall(StringAttribute(r, g, "layout", "trajectory_* (absent when no gel entered a vessel): one row per slug and record time; vessel: mesh index (see /network); xa, xb: arc span from the vessel's x = 0 end; state: 0 moving, 1 lodged, 2 dissolved. bed_*: [vessel] in mesh order, non-zero for terminal vessels"));
  H5Gclose(g);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocResultWriteTissue(HavocResult r, PetscInt nt, const PetscReal times[], PetscReal dx, const PetscReal origin[2], PetscInt mx, PetscInt my, PetscInt xs, PetscInt ys, PetscInt xm, PetscInt ym, PetscInt nmaps, const char *const names[], const char *const units[], const PetscReal *const data[])
{
  hid_t   g     = H5Gcreate2(r->file, "tissue", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  hsize_t dt[1] = {(hsize_t)nt}, dims[3] = {(hsize_t)nt, (hsize_t)my, (hsize_t)mx}, start[3] = {0, (hsize_t)ys, (hsize_t)xs}, count[3] = {(hsize_t)nt, (hsize_t)ym, (hsize_t)xm};
  hsize_t d2[1] = {2};

  PetscFunctionBeginUser;
  H5Check(r, g);
  PetscCall(WriteSmall(r, g, "times", H5T_NATIVE_DOUBLE, 1, dt, times, "s"));
  PetscCall(WriteSmall(r, g, "origin", H5T_NATIVE_DOUBLE, 1, d2, origin, "m"));
  PetscCall(RealAttribute(r, g, "dx", dx));
  for (PetscInt k = 0; k < nmaps; k++) {
    hid_t space = H5Screate_simple(3, dims, NULL), mspace = H5Screate_simple(3, count, NULL), dset;
    dset = H5Dcreate2(g, names[k], H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Check(r, dset);
    if (xm > 0 && ym > 0) H5Check(r, H5Sselect_hyperslab(space, H5S_SELECT_SET, start, NULL, count, NULL));
    else {
      H5Sselect_none(space);
      H5Sselect_none(mspace);
    }
    H5Check(r, H5Dwrite(dset, H5T_NATIVE_DOUBLE, mspace, space, r->dxpl, data[k]));
    PetscCall(StringAttribute(r, dset, "units", units[k]));
    H5Sclose(mspace);
    H5Sclose(space);
    H5Dclose(dset);
  }
  PetscCall(StringAttribute(r, g, "layout", "maps [time][y][x] of the face map: cell (i, j) has its centre at origin + ((i + 0.5) dx, (j + 0.5) dx) in the frontal plane of the face frame; times: the report times after the occlusion; territory: index in the network file's territories (-1: no tissue); zone: -1 no tissue, 0 normal, 1 ischemic, 2 at risk, 3 necrotic"));
  H5Gclose(g);
  PetscFunctionReturn(0);
}

/* Reading ------------------------------------------------------------------------------------------- */

#define H5ReadCheck(expr, path)                                                                                            \
  do {                                                                                                                     \
    if ((expr) < 0) SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: not a havoc result file (%s failed)", path, #expr); \
  } while (0)

PetscErrorCode HavocProbeIndexRead(const char path[], HavocProbeIndex *ix)
{
  hid_t   file, d, s, a, strtype;
  hsize_t dims[3];

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(ix, sizeof(*ix)));
  PetscCheck(!access(path, R_OK), PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot open result file '%s': %s", path, strerror(errno));
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  PetscCheck(file >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot open result file '%s': not an HDF5 file", path);
  d = H5Dopen2(file, "/probes/p", H5P_DEFAULT);
  H5ReadCheck(d, path);
  s = H5Dget_space(d);
  H5Sget_simple_extent_dims(s, dims, NULL);
  H5Sclose(s);
  H5Dclose(d);
  ix->nt       = (PetscInt)dims[0];
  ix->nvessels = (PetscInt)dims[1];
  ix->nfrac    = (PetscInt)dims[2];
  PetscCall(PetscMalloc3(ix->nvessels, &ix->names, ix->nfrac, &ix->frac, ix->nt, &ix->t));
  strtype = H5Tcopy(H5T_C_S1);
  H5Tset_size(strtype, HAVOC_NAME_LEN);
  d = H5Dopen2(file, "/network/vessel_name", H5P_DEFAULT);
  H5ReadCheck(d, path);
  H5ReadCheck(H5Dread(d, strtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, ix->names), path);
  H5Dclose(d);
  H5Tclose(strtype);
  d = H5Dopen2(file, "/probes/fractions", H5P_DEFAULT);
  H5ReadCheck(d, path);
  H5ReadCheck(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, ix->frac), path);
  H5Dclose(d);
  d = H5Dopen2(file, "/probes/t", H5P_DEFAULT);
  H5ReadCheck(d, path);
  if (ix->nt) H5ReadCheck(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, ix->t), path);
  H5Dclose(d);
  a = H5Aopen_by_name(file, "/probes", "period", H5P_DEFAULT, H5P_DEFAULT);
  H5ReadCheck(a, path);
  H5ReadCheck(H5Aread(a, H5T_NATIVE_DOUBLE, &ix->period), path);
  H5Aclose(a);
  H5Fclose(file);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocProbeIndexFree(HavocProbeIndex *ix)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFree3(ix->names, ix->frac, ix->t));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocProbeRead(const char path[], PetscInt vessel, PetscInt ifrac, PetscInt t0, PetscInt nt, PetscReal p[], PetscReal q[], PetscReal a[])
{
  const char *names[3] = {"/probes/p", "/probes/q", "/probes/a"};
  PetscReal  *out[3]   = {p, q, a};
  hid_t       file;
  hsize_t     start[3] = {(hsize_t)t0, (hsize_t)vessel, (hsize_t)ifrac}, count[3] = {(hsize_t)nt, 1, 1}, n = (hsize_t)nt;

  PetscFunctionBeginUser;
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  PetscCheck(file >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot open result file '%s'", path);
  for (int k = 0; k < 3; k++) {
    hid_t d, fs, ms;
    if (!out[k]) continue;
    d = H5Dopen2(file, names[k], H5P_DEFAULT);
    H5ReadCheck(d, path);
    fs = H5Dget_space(d);
    H5ReadCheck(H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL), path);
    ms = H5Screate_simple(1, &n, NULL);
    H5ReadCheck(H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, out[k]), path);
    H5Sclose(ms);
    H5Sclose(fs);
    H5Dclose(d);
  }
  H5Fclose(file);
  PetscFunctionReturn(0);
}

json_t *HavocJsonReal(PetscReal x)
{
  return PetscIsInfOrNanReal(x) ? json_null() : json_real((double)x);
}

json_t *HavocJsonPath(json_t *root, const char path[])
{
  char    buf[256], *tok, *save = NULL;
  json_t *v = root;

  snprintf(buf, sizeof(buf), "%s", path);
  for (tok = strtok_r(buf, ".", &save); tok && v; tok = strtok_r(NULL, ".", &save))
    v = json_is_array(v) ? json_array_get(v, (size_t)atol(tok)) : json_object_get(v, tok);
  return v;
}

void HavocCsvText(FILE *f, const char s[])
{
  if (!strpbrk(s, ",\"\n")) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

void HavocCsvJson(FILE *f, json_t *v)
{
  if (json_is_real(v)) fprintf(f, "%.17g", json_real_value(v));
  else if (json_is_integer(v)) fprintf(f, "%lld", (long long)json_integer_value(v));
  else if (json_is_boolean(v)) fputs(json_is_true(v) ? "true" : "false", f);
  else if (json_is_string(v)) HavocCsvText(f, json_string_value(v));
  else if (json_is_object(v) || json_is_array(v)) {
    char *d = json_dumps(v, JSON_COMPACT);
    if (d) HavocCsvText(f, d);
    free(d);
  }
}
