/* Reading a run's files for post-processing (post.h). */
#include "post.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define PostCheck(expr, p, what)                                                                                                                          \
  do {                                                                                                                                                    \
    if ((expr) < 0) SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: cannot read %s (not a havoc result file, or an older format)", (p)->h5path, what); \
  } while (0)

PetscBool HavocPostHas(const HavocPost *p, const char path[])
{
  if (p->file < 0 || path[0] != '/') return PETSC_FALSE;
  /* every link on the way must exist before H5Oexists_by_name may be asked about the last */
  {
    char buf[PETSC_MAX_PATH_LEN];
    for (size_t i = 1; path[i]; i++)
      if (path[i] == '/' || !path[i + 1]) {
        size_t n = path[i] == '/' ? i : i + 1;
        if (n >= sizeof(buf)) return PETSC_FALSE;
        memcpy(buf, path, n);
        buf[n] = 0;
        if (H5Lexists(p->file, buf, H5P_DEFAULT) <= 0) return PETSC_FALSE;
      }
  }
  return PETSC_TRUE;
}

PetscErrorCode HavocPostShape(const HavocPost *p, const char path[], int *ndims, hsize_t dims[])
{
  hid_t d, s;

  PetscFunctionBeginUser;
  PetscCheck(HavocPostHas(p, path), PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: no dataset %s (the run did not write it)", p->h5path, path);
  d = H5Dopen2(p->file, path, H5P_DEFAULT);
  PostCheck(d, p, path);
  s = H5Dget_space(d);
  PostCheck(s, p, path);
  *ndims = H5Sget_simple_extent_ndims(s);
  PetscCheck(*ndims >= 0 && *ndims <= 4, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: %s has %d dimensions (at most 4 expected)", p->h5path, path, *ndims);
  H5Sget_simple_extent_dims(s, dims, NULL);
  H5Sclose(s);
  H5Dclose(d);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocPostRead(const HavocPost *p, const char path[], PetscReal **data, hsize_t *n)
{
  int     nd;
  hsize_t dims[4];
  hid_t   d;

  PetscFunctionBeginUser;
  PetscCall(HavocPostShape(p, path, &nd, dims));
  *n = 1;
  for (int k = 0; k < nd; k++)
    *n *= dims[k];
  PetscCall(PetscMalloc1(*n ? *n : 1, data));
  d = H5Dopen2(p->file, path, H5P_DEFAULT);
  PostCheck(d, p, path);
  if (*n) PostCheck(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, *data), p, path);
  H5Dclose(d);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocPostReadSlab(const HavocPost *p, const char path[], hsize_t k, PetscReal **data, hsize_t *n)
{
  int     nd;
  hsize_t dims[4], start[4] = {0}, count[4];
  hid_t   d, fs, ms;

  PetscFunctionBeginUser;
  PetscCall(HavocPostShape(p, path, &nd, dims));
  PetscCheck(nd >= 1 && k < dims[0], PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "%s: %s has %llu entries along its first dimension, asked for entry %llu", p->h5path, path, nd ? (unsigned long long)dims[0] : 0ULL, (unsigned long long)k);
  *n = 1;
  for (int j = 0; j < nd; j++) {
    count[j] = j ? dims[j] : 1;
    *n *= count[j];
  }
  start[0] = k;
  PetscCall(PetscMalloc1(*n ? *n : 1, data));
  d = H5Dopen2(p->file, path, H5P_DEFAULT);
  PostCheck(d, p, path);
  fs = H5Dget_space(d);
  PostCheck(H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL), p, path);
  ms = H5Screate_simple(1, n, NULL);
  if (*n) PostCheck(H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, *data), p, path);
  H5Sclose(ms);
  H5Sclose(fs);
  H5Dclose(d);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocPostAttribute(const HavocPost *p, const char path[], const char name[], char buf[], size_t len)
{
  hid_t a, t;

  PetscFunctionBeginUser;
  buf[0] = 0;
  if (!HavocPostHas(p, path) && strcmp(path, "/")) PetscFunctionReturn(0);
  if (H5Aexists_by_name(p->file, path, name, H5P_DEFAULT) <= 0) PetscFunctionReturn(0);
  a = H5Aopen_by_name(p->file, path, name, H5P_DEFAULT, H5P_DEFAULT);
  PostCheck(a, p, name);
  t = H5Aget_type(a);
  if (H5Tget_class(t) == H5T_STRING) {
    size_t size = H5Tget_size(t);
    char  *tmp;
    PetscCall(PetscCalloc1(size + 1, &tmp));
    PostCheck(H5Aread(a, t, tmp), p, name);
    PetscCall(PetscStrncpy(buf, tmp, len));
    PetscCall(PetscFree(tmp));
  }
  H5Tclose(t);
  H5Aclose(a);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocPostAttributeReal(const HavocPost *p, const char path[], const char name[], PetscReal *value, PetscBool *found)
{
  hid_t a;

  PetscFunctionBeginUser;
  *found = PETSC_FALSE;
  if (!HavocPostHas(p, path) && strcmp(path, "/")) PetscFunctionReturn(0);
  if (H5Aexists_by_name(p->file, path, name, H5P_DEFAULT) <= 0) PetscFunctionReturn(0);
  a = H5Aopen_by_name(p->file, path, name, H5P_DEFAULT, H5P_DEFAULT);
  PostCheck(a, p, name);
  PostCheck(H5Aread(a, H5T_NATIVE_DOUBLE, value), p, name);
  H5Aclose(a);
  *found = PETSC_TRUE;
  PetscFunctionReturn(0);
}

PetscInt HavocPostVessel(const HavocPost *p, const char name[])
{
  for (PetscInt i = 0; i < p->nv; i++)
    if (!strcmp(p->name[i], name)) return i;
  return -1;
}

static PetscErrorCode ReadStrings(HavocPost *p, const char path[], char (*out)[64])
{
  hid_t d, t;

  PetscFunctionBeginUser;
  d = H5Dopen2(p->file, path, H5P_DEFAULT);
  PostCheck(d, p, path);
  t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, 64);
  PostCheck(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, out), p, path);
  H5Tclose(t);
  H5Dclose(d);
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadNetwork(HavocPost *p)
{
  int        nd;
  hsize_t    dims[4], n;
  PetscReal *cells, *offset;

  PetscFunctionBeginUser;
  PetscCall(HavocPostShape(p, "/network/vessel_name", &nd, dims));
  p->nv = (PetscInt)dims[0];
  PetscCall(HavocPostShape(p, "/network/node_id", &nd, dims));
  p->nn = (PetscInt)dims[0];
  PetscCall(PetscMalloc4(p->nv, &p->name, p->nv, &p->territory, p->nv, &p->cells, p->nv, &p->offset));
  PetscCall(ReadStrings(p, "/network/vessel_name", p->name));
  PetscCall(ReadStrings(p, "/network/vessel_territory", p->territory));
  PetscCall(HavocPostRead(p, "/network/vessel_cells", &cells, &n));
  PetscCall(HavocPostRead(p, "/network/vessel_cell_offset", &offset, &n));
  p->nc = 0;
  for (PetscInt i = 0; i < p->nv; i++) {
    p->cells[i]  = (PetscInt)cells[i];
    p->offset[i] = (PetscInt)offset[i];
    p->nc += p->cells[i];
  }
  PetscCall(PetscFree(cells));
  PetscCall(PetscFree(offset));
  if (HavocPostHas(p, "/network/cell_points")) PetscCall(HavocPostRead(p, "/network/cell_points", &p->points, &n));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocPostOpen(const char dir[], const char need[], HavocPost *p)
{
  const PetscBool need_h5 = strcmp(need, "json") != 0, need_json = strcmp(need, "h5") != 0;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(p, sizeof(*p)));
  p->file = -1;
  PetscCall(PetscStrncpy(p->dir, dir, sizeof(p->dir)));
  PetscCall(PetscSNPrintf(p->h5path, sizeof(p->h5path), "%s/result.h5", dir));
  PetscCall(PetscSNPrintf(p->jsonpath, sizeof(p->jsonpath), "%s/summary.json", dir));
  PetscCheck(!access(dir, F_OK), PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot open run directory '%s': %s (expected the output directory of havoc run, holding result.h5 and summary.json)", dir, strerror(errno));
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  if (!access(p->h5path, R_OK)) {
    p->file = H5Fopen(p->h5path, H5F_ACC_RDONLY, H5P_DEFAULT);
    PetscCheck(p->file >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot open '%s': not an HDF5 file", p->h5path);
    PetscCall(ReadNetwork(p));
  } else PetscCheck(!need_h5, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot open '%s': %s (expected the output directory of havoc run)", p->h5path, strerror(errno));
  if (!access(p->jsonpath, R_OK)) {
    json_error_t err;
    p->summary = json_load_file(p->jsonpath, 0, &err);
    PetscCheck(p->summary, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s, line %d: not valid JSON: %s", p->jsonpath, err.line, err.text);
  } else PetscCheck(!need_json, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "cannot open '%s': %s (expected the output directory of havoc run)", p->jsonpath, strerror(errno));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocPostClose(HavocPost *p)
{
  PetscFunctionBeginUser;
  if (p->file >= 0) H5Fclose(p->file);
  if (p->summary) json_decref(p->summary);
  PetscCall(PetscFree4(p->name, p->territory, p->cells, p->offset));
  PetscCall(PetscFree(p->points));
  p->file    = -1;
  p->summary = NULL;
  PetscFunctionReturn(0);
}
