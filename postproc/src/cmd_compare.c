/* havoc compare A B [--rtol [FIELD=]R] [--atol [FIELD=]A] [--ignore FIELD]: two runs, or a run and a
   reference directory, field by field (docs/postproc.md, "Regression suite").

   A is the reference: every field of A must be in B, with the same shape, and agree within
   |b - a| <= atol + rtol * scale, where scale is the largest magnitude in A of the whole HDF5 dataset, of
   the CSV column, or of the JSON number's family (the numbers whose paths differ only in array indices,
   e.g. summary.vessels[].mean_flow_m3s), so that values near zero are judged against the size of the
   signal. Compared: every .json file of A (each number, string, bool and null, by JSON
   path; the top level is named after the file, e.g. summary.run.steps), every dataset of every .h5
   file of A (numbers, strings, other fixed-size types byte by byte; attributes are not compared) and
   every .csv file of A (a header line, then rows; numeric cells as numbers, others as text). Fields
   only in B are counted, not compared. Some summary fields always differ between two runs of the same
   case (dates, wall times, the version, the partition over ranks): they are ignored by name
   (builtin_ignore below). */
#include "cli.h"
#include "options.h"
#include "post.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CMP_MAX_RULES 64
#define CMP_FIELD_LEN 512
#define CMP_MAX_DIMS  8

/* Summary fields that legitimately differ between two runs of the same case. */
static const char *builtin_ignore[] = {
  "summary.created",              /* date of writing */
  "summary.version",              /* havoc version and git revision */
  "summary.wall_time_s",          /* wall times */
  "summary.steady.wall_time_s",   /* */
  "summary.ranks",                /* the partition over MPI ranks */
  "summary.run.vessels_per_rank", /* */
  "summary.run.cells_per_rank",   /* */
  "summary.case_file",            /* paths as given on the command line */
  "summary.mesh",                 /* */
  NULL,
};

/* Fields whose value is itself a round-off error: below the absolute tolerance, any value is as good. */
static const struct {
  const char *pattern;
  double      atol;
} builtin_atol[] = {
  {"summary.mass_balance.balance_rel_error", 1e-12},
  {"summary.bolus.volume_balance_rel_error", 1e-12},
  {NULL, 0},
};

typedef struct {
  char  *pattern;
  double value;
} CmpRule;

/* The worst difference in one file, or over all files. */
typedef struct {
  double ratio; /* difference / tolerance; INFINITY for a missing field or shape mismatch */
  double diff, rel, a, b, rtol, atol;
  int    numeric;              /* a, b, diff, rel hold numbers */
  char   field[CMP_FIELD_LEN]; /* where: JSON path, dataset and index, CSV line and column */
  char   what[CMP_FIELD_LEN];  /* for a hard failure: what is wrong */
  char   file[PETSC_MAX_PATH_LEN];
} CmpWorst;

typedef struct {
  double      rtol, atol;
  CmpRule     rrule[CMP_MAX_RULES], arule[CMP_MAX_RULES];
  int         nrrule, narule;
  const char *ignore[CMP_MAX_RULES];
  int         nignore;
  long        values, ignored, extra, bad; /* compared values, ignored fields, fields only in B, values beyond tolerance */
  CmpWorst    worst;                       /* of the current file */
  json_t     *scales;                      /* JSON: the largest magnitude of every field family in A */
} Cmp;

/* A pattern matches a field if it matches all of it, or all of it up to a '.', '[', '/' or ':' (so that
   a pattern names a subtree); '*' stands for any run of characters. */
static int Glob(const char *p, const char *s)
{
  if (!*p) return !*s || *s == '.' || *s == '[' || *s == '/' || *s == ':';
  if (*p == '*') {
    for (;;) {
      if (Glob(p + 1, s)) return 1;
      if (!*s) return 0;
      s++;
    }
  }
  return *s == *p && Glob(p + 1, s + 1);
}

static int Ignored(const Cmp *c, const char *field)
{
  for (int i = 0; builtin_ignore[i]; i++)
    if (Glob(builtin_ignore[i], field)) return 1;
  for (int i = 0; i < c->nignore; i++)
    if (Glob(c->ignore[i], field)) return 1;
  return 0;
}

/* The tolerances of a field: the defaults, then the last rule that matches it. */
static void Tolerances(const Cmp *c, const char *field, double *rtol, double *atol)
{
  *rtol = c->rtol;
  *atol = c->atol;
  for (int i = 0; builtin_atol[i].pattern; i++)
    if (Glob(builtin_atol[i].pattern, field)) *atol = PetscMax(*atol, builtin_atol[i].atol);
  for (int i = 0; i < c->nrrule; i++)
    if (Glob(c->rrule[i].pattern, field)) *rtol = c->rrule[i].value;
  for (int i = 0; i < c->narule; i++)
    if (Glob(c->arule[i].pattern, field)) *atol = c->arule[i].value;
}

/* |b - a| with NaN equal to NaN and an infinity equal to itself. */
static double Diff(double a, double b)
{
  if (isnan(a) || isnan(b)) return isnan(a) && isnan(b) ? 0 : INFINITY;
  if (isinf(a) || isinf(b)) return a == b ? 0 : INFINITY;
  return fabs(b - a);
}

static double Ratio(double d, double tol)
{
  if (d == 0) return 0;
  return tol > 0 ? d / tol : INFINITY;
}

/* Records a numeric difference d of field (a in A, b in B) judged against scale. */
static void Number(Cmp *c, const char *field, double a, double b, double d, double scale, double rtol, double atol)
{
  double ratio = Ratio(d, atol + rtol * scale);

  c->values++;
  if (ratio > 1) c->bad++;
  if (ratio > c->worst.ratio || (!c->worst.field[0] && !c->worst.what[0])) {
    c->worst.ratio   = ratio;
    c->worst.diff    = d;
    c->worst.rel     = scale > 0 ? d / scale : (d > 0 ? INFINITY : 0);
    c->worst.a       = a;
    c->worst.b       = b;
    c->worst.rtol    = rtol;
    c->worst.atol    = atol;
    c->worst.numeric = 1;
    c->worst.what[0] = 0;
    snprintf(c->worst.field, sizeof(c->worst.field), "%s", field);
  }
}

/* Records a missing field, a shape or type mismatch or different text: always beyond tolerance. */
static void Hard(Cmp *c, const char *field, const char *fmt, ...) PETSC_ATTRIBUTE_FORMAT(3, 4);
static void Hard(Cmp *c, const char *field, const char *fmt, ...)
{
  va_list ap;

  c->bad++;
  if (c->worst.ratio == INFINITY && !c->worst.numeric) return; /* keep the first */
  c->worst.ratio   = INFINITY;
  c->worst.numeric = 0;
  snprintf(c->worst.field, sizeof(c->worst.field), "%s", field);
  va_start(ap, fmt);
  vsnprintf(c->worst.what, sizeof(c->worst.what), fmt, ap);
  va_end(ap);
}

/* ---------------------------------------------------------------- JSON */

static const char *JsonType(const json_t *v)
{
  switch (json_typeof(v)) {
  case JSON_OBJECT:
    return "an object";
  case JSON_ARRAY:
    return "an array";
  case JSON_STRING:
    return "a string";
  case JSON_INTEGER:
  case JSON_REAL:
    return "a number";
  case JSON_TRUE:
  case JSON_FALSE:
    return "a bool";
  default:
    return "null";
  }
}

/* The family of a JSON field: its path without array indices (summary.vessels[].mean_flow_m3s). */
static void Family(const char *path, char *fam, size_t len)
{
  size_t n = 0;

  for (const char *s = path; *s && n + 1 < len; s++) {
    fam[n++] = *s;
    if (*s == '[')
      while (s[1] && s[1] != ']')
        s++;
  }
  fam[n] = 0;
}

/* The largest magnitude of each family of numbers in A: the scale of the relative tolerance. */
static void Scales(json_t *scales, const char *path, json_t *a)
{
  char sub[CMP_FIELD_LEN];

  if (json_is_number(a)) {
    double v = fabs(json_number_value(a));
    Family(path, sub, sizeof(sub));
    if (isfinite(v) && (!json_object_get(scales, sub) || v > json_real_value(json_object_get(scales, sub)))) json_object_set_new(scales, sub, json_real(v));
  } else if (json_is_object(a)) {
    const char *key;
    json_t     *va;
    json_object_foreach(a, key, va)
    {
      snprintf(sub, sizeof(sub), "%s.%s", path, key);
      Scales(scales, sub, va);
    }
  } else if (json_is_array(a)) {
    for (size_t i = 0; i < json_array_size(a); i++) {
      snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
      Scales(scales, sub, json_array_get(a, i));
    }
  }
}

static void CompareJson(Cmp *c, const char *path, json_t *a, json_t *b)
{
  char sub[CMP_FIELD_LEN];

  if (Ignored(c, path)) {
    c->ignored++;
    return;
  }
  if (!b) {
    Hard(c, path, "missing in B");
    return;
  }
  if (json_is_number(a) && json_is_number(b)) {
    double x = json_number_value(a), y = json_number_value(b), rtol, atol, scale;
    Tolerances(c, path, &rtol, &atol);
    Family(path, sub, sizeof(sub));
    scale = json_object_get(c->scales, sub) ? json_real_value(json_object_get(c->scales, sub)) : fabs(x);
    Number(c, path, x, y, Diff(x, y), PetscMax(scale, fabs(x)), rtol, atol);
    return;
  }
  if (json_is_boolean(a) && json_is_boolean(b)) {
    c->values++;
    if (json_is_true(a) != json_is_true(b)) Hard(c, path, "%s in A, %s in B", json_is_true(a) ? "true" : "false", json_is_true(b) ? "true" : "false");
    return;
  }
  if (json_typeof(a) != json_typeof(b)) {
    char va[64] = "", vb[64] = "";
    if (json_is_number(a)) snprintf(va, sizeof(va), " %.12g", json_number_value(a));
    if (json_is_number(b)) snprintf(vb, sizeof(vb), " %.12g", json_number_value(b));
    c->values++;
    Hard(c, path, "%s%s in A, %s%s in B", JsonType(a), va, JsonType(b), vb);
    return;
  }
  switch (json_typeof(a)) {
  case JSON_OBJECT: {
    const char *key;
    json_t     *va;
    json_object_foreach(a, key, va)
    {
      snprintf(sub, sizeof(sub), "%s.%s", path, key);
      CompareJson(c, sub, va, json_object_get(b, key));
    }
    json_object_foreach(b, key, va) if (!json_object_get(a, key)) c->extra++;
  } break;
  case JSON_ARRAY:
    if (json_array_size(a) != json_array_size(b)) {
      Hard(c, path, "%zu elements in A, %zu in B", json_array_size(a), json_array_size(b));
      return;
    }
    for (size_t i = 0; i < json_array_size(a); i++) {
      snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
      CompareJson(c, sub, json_array_get(a, i), json_array_get(b, i));
    }
    break;
  case JSON_STRING:
    c->values++;
    if (strcmp(json_string_value(a), json_string_value(b))) Hard(c, path, "\"%.120s\" in A, \"%.120s\" in B", json_string_value(a), json_string_value(b));
    break;
  default: /* null and null */
    c->values++;
    break;
  }
}

static PetscErrorCode LoadJson(const char *path, json_t **j)
{
  json_error_t e;

  PetscFunctionBeginUser;
  *j = json_load_file(path, 0, &e);
  PetscCheck(*j, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: cannot read: %s (line %d)", path, e.text, e.line);
  PetscFunctionReturn(0);
}

static PetscErrorCode CompareJsonFiles(Cmp *c, const char *fa, const char *fb, const char *name)
{
  json_t *a, *b;
  char    root[CMP_FIELD_LEN];

  PetscFunctionBeginUser;
  PetscCall(LoadJson(fa, &a));
  PetscCall(LoadJson(fb, &b));
  snprintf(root, sizeof(root), "%.*s", (int)(strlen(name) - 5), name); /* summary.json -> summary */
  c->scales = json_object();
  Scales(c->scales, root, a);
  CompareJson(c, root, a, b);
  json_decref(c->scales);
  c->scales = NULL;
  json_decref(a);
  json_decref(b);
  PetscFunctionReturn(0);
}

/* ---------------------------------------------------------------- HDF5 */

typedef struct {
  char **name;
  int    n, cap;
} CmpList;

static herr_t Visit(hid_t obj, const char *name, const H5O_info_t *info, void *ctx)
{
  CmpList *l = (CmpList *)ctx;

  if (info->type != H5O_TYPE_DATASET) return 0;
  if (l->n == l->cap) {
    char **more = realloc(l->name, (size_t)(l->cap = 2 * l->cap + 16) * sizeof(char *));
    if (!more) return -1;
    l->name = more;
  }
  l->name[l->n] = malloc(strlen(name) + 2);
  if (!l->name[l->n]) return -1;
  sprintf(l->name[l->n++], "/%s", name);
  return 0;
}

static void ListFree(CmpList *l)
{
  for (int i = 0; i < l->n; i++)
    free(l->name[i]);
  free(l->name);
  l->name = NULL;
  l->n = l->cap = 0;
}

static int H5Has(hid_t f, const char *path)
{
  char buf[CMP_FIELD_LEN];

  for (size_t i = 1; path[i]; i++)
    if (path[i] == '/' || !path[i + 1]) {
      size_t n = path[i] == '/' ? i : i + 1;
      if (n >= sizeof(buf)) return 0;
      memcpy(buf, path, n);
      buf[n] = 0;
      if (H5Lexists(f, buf, H5P_DEFAULT) <= 0) return 0;
    }
  return H5Oexists_by_name(f, path, H5P_DEFAULT) > 0;
}

/* "name[i][j][k]" for flat index k of a dataset of shape dims. */
static void Index(char *buf, size_t len, const char *name, int nd, const hsize_t *dims, hsize_t k)
{
  hsize_t idx[CMP_MAX_DIMS];
  size_t  n;

  for (int j = nd - 1; j >= 0; j--) {
    idx[j] = dims[j] ? k % dims[j] : 0;
    k      = dims[j] ? k / dims[j] : 0;
  }
  n = (size_t)snprintf(buf, len, "%s", name);
  for (int j = 0; j < nd && n < len; j++)
    n += (size_t)snprintf(buf + n, len - n, "[%llu]", (unsigned long long)idx[j]);
}

static void ShapeText(char *buf, size_t len, int nd, const hsize_t *dims)
{
  size_t n = 0;

  buf[0] = 0;
  if (!nd) snprintf(buf, len, "scalar");
  for (int j = 0; j < nd && n < len; j++)
    n += (size_t)snprintf(buf + n, len - n, "[%llu]", (unsigned long long)dims[j]);
}

#define H5Try(expr, file, what)                                                                      \
  do {                                                                                               \
    if ((expr) < 0) SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: cannot read %s", file, what); \
  } while (0)

/* Compares one dataset, reading blocks of rows along the first dimension. */
static PetscErrorCode CompareDataset(Cmp *c, hid_t fa, hid_t fb, const char *fna, const char *fnb, const char *name)
{
  hid_t       da, db, sa, sb, ta, tb, mt = -1;
  int         nda, ndb, numeric, text, vlen;
  hsize_t     dima[CMP_MAX_DIMS] = {0}, dimb[CMP_MAX_DIMS] = {0}, row = 1, rows, block, n = 1;
  H5T_class_t cla, clb;
  size_t      size;
  char        field[CMP_FIELD_LEN];

  PetscFunctionBeginUser;
  if (Ignored(c, name)) {
    c->ignored++;
    PetscFunctionReturn(0);
  }
  if (!H5Has(fb, name)) {
    Hard(c, name, "missing in B");
    PetscFunctionReturn(0);
  }
  da = H5Dopen2(fa, name, H5P_DEFAULT);
  H5Try(da, fna, name);
  db = H5Dopen2(fb, name, H5P_DEFAULT);
  if (db < 0) {
    H5Dclose(da);
    Hard(c, name, "not a dataset in B");
    PetscFunctionReturn(0);
  }
  sa = H5Dget_space(da);
  sb = H5Dget_space(db);
  H5Try(sa, fna, name);
  H5Try(sb, fnb, name);
  nda = H5Sget_simple_extent_ndims(sa);
  ndb = H5Sget_simple_extent_ndims(sb);
  PetscCheck(nda >= 0 && nda <= CMP_MAX_DIMS && ndb >= 0 && ndb <= CMP_MAX_DIMS, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: %s has more than %d dimensions", nda > CMP_MAX_DIMS ? fna : fnb, name, CMP_MAX_DIMS);
  H5Sget_simple_extent_dims(sa, dima, NULL);
  H5Sget_simple_extent_dims(sb, dimb, NULL);
  ta      = H5Dget_type(da);
  tb      = H5Dget_type(db);
  cla     = H5Tget_class(ta);
  clb     = H5Tget_class(tb);
  numeric = (cla == H5T_INTEGER || cla == H5T_FLOAT) && (clb == H5T_INTEGER || clb == H5T_FLOAT);
  text    = cla == H5T_STRING && clb == H5T_STRING;
  vlen    = text && (H5Tis_variable_str(ta) > 0 || H5Tis_variable_str(tb) > 0);
  {
    int same = nda == ndb;
    for (int j = 0; same && j < nda; j++)
      same = dima[j] == dimb[j];
    if (!same) {
      char sha[128], shb[128];
      ShapeText(sha, sizeof(sha), nda, dima);
      ShapeText(shb, sizeof(shb), ndb, dimb);
      Hard(c, name, "shape %s in A, %s in B", sha, shb);
      goto done;
    }
  }
  if (!numeric && !text && (cla != clb || H5Tdetect_class(ta, H5T_VLEN) > 0 || H5Tequal(ta, tb) <= 0)) {
    Hard(c, name, "types differ or cannot be compared (class %d in A, %d in B)", (int)cla, (int)clb);
    goto done;
  }
  for (int j = 0; j < nda; j++)
    n *= dima[j];
  for (int j = 1; j < nda; j++)
    row *= dima[j];
  rows = nda ? dima[0] : 1;
  if (numeric) mt = H5Tcopy(H5T_NATIVE_DOUBLE);
  else if (vlen) {
    mt = H5Tcopy(H5T_C_S1);
    H5Tset_size(mt, H5T_VARIABLE);
  } else mt = H5Tget_native_type(ta, H5T_DIR_ASCEND);
  if (text && !vlen) { /* fixed-size strings of possibly different sizes: read both at the larger one */
    size_t s2 = PetscMax(H5Tget_size(ta), H5Tget_size(tb));
    H5Tclose(mt);
    mt = H5Tcopy(H5T_C_S1);
    H5Tset_size(mt, s2 + 1);
    H5Tset_strpad(mt, H5T_STR_NULLTERM);
  }
  size  = H5Tget_size(mt);
  block = PetscMax((hsize_t)1, (hsize_t)(1 << 20) / PetscMax(row, (hsize_t)1));
  {
    double  rtol, atol, scale = 0, maxd = -1, wa = 0, wb = 0;
    hsize_t at = 0, k0;
    char   *ba, *bb;
    hsize_t cnt = PetscMin(block, rows) * row;
    Tolerances(c, name, &rtol, &atol);
    ba = malloc(PetscMax(cnt, (hsize_t)1) * size);
    bb = malloc(PetscMax(cnt, (hsize_t)1) * size);
    PetscCheck(ba && bb, PETSC_COMM_SELF, PETSC_ERR_MEM, "out of memory comparing %s", name);
    for (k0 = 0; k0 < rows && n; k0 += block) {
      hsize_t start[CMP_MAX_DIMS] = {0}, count[CMP_MAX_DIMS], m = 1, nr = PetscMin(block, rows - k0);
      hid_t   ms, fsa = H5Scopy(sa), fsb = H5Scopy(sb);
      for (int j = 0; j < nda; j++)
        count[j] = j ? dima[j] : nr;
      start[0] = k0;
      for (int j = 0; j < nda; j++)
        m *= count[j];
      if (nda) {
        H5Try(H5Sselect_hyperslab(fsa, H5S_SELECT_SET, start, NULL, count, NULL), fna, name);
        H5Try(H5Sselect_hyperslab(fsb, H5S_SELECT_SET, start, NULL, count, NULL), fnb, name);
      }
      ms = H5Screate_simple(1, &m, NULL);
      H5Try(H5Dread(da, mt, ms, fsa, H5P_DEFAULT, ba), fna, name);
      H5Try(H5Dread(db, mt, ms, fsb, H5P_DEFAULT, bb), fnb, name);
      for (hsize_t i = 0; i < m; i++) {
        hsize_t k = k0 * row + i;
        if (numeric) {
          double x = ((double *)ba)[i], y = ((double *)bb)[i], d = Diff(x, y);
          if (isfinite(x)) scale = PetscMax(scale, fabs(x));
          if (d > maxd) {
            maxd = d;
            at   = k;
            wa   = x;
            wb   = y;
          }
        } else {
          int differ;
          if (vlen) differ = strcmp(((char **)ba)[i] ? ((char **)ba)[i] : "", ((char **)bb)[i] ? ((char **)bb)[i] : "");
          else if (text) differ = strncmp(ba + i * size, bb + i * size, size);
          else differ = memcmp(ba + i * size, bb + i * size, size);
          c->values++;
          if (differ) {
            Index(field, sizeof(field), name, nda, dima, k);
            if (text) Hard(c, field, "\"%.100s\" in A, \"%.100s\" in B", vlen ? ((char **)ba)[i] : ba + i * size, vlen ? ((char **)bb)[i] : bb + i * size);
            else Hard(c, field, "the values differ");
          }
        }
      }
      if (vlen) {
        H5Dvlen_reclaim(mt, ms, H5P_DEFAULT, ba);
        H5Dvlen_reclaim(mt, ms, H5P_DEFAULT, bb);
      }
      H5Sclose(ms);
      H5Sclose(fsa);
      H5Sclose(fsb);
    }
    free(ba);
    free(bb);
    if (numeric && n) {
      Index(field, sizeof(field), name, nda, dima, at);
      c->values += (long)n - 1;
      Number(c, field, wa, wb, maxd, scale, rtol, atol);
    }
  }
done:
  if (mt >= 0) H5Tclose(mt);
  H5Tclose(ta);
  H5Tclose(tb);
  H5Sclose(sa);
  H5Sclose(sb);
  H5Dclose(da);
  H5Dclose(db);
  PetscFunctionReturn(0);
}

/* The datasets of file f (named fn in messages), into l. */
static PetscErrorCode ListDatasets(hid_t f, const char *fn, CmpList *l)
{
  PetscFunctionBeginUser;
#if H5_VERSION_GE(1, 12, 0)
  H5Try(H5Ovisit(f, H5_INDEX_NAME, H5_ITER_INC, Visit, l, H5O_INFO_BASIC), fn, "its list of datasets");
#else
  H5Try(H5Ovisit(f, H5_INDEX_NAME, H5_ITER_INC, Visit, l), fn, "its list of datasets");
#endif
  PetscFunctionReturn(0);
}

static PetscErrorCode CompareH5Files(Cmp *c, const char *fna, const char *fnb, int *ndatasets)
{
  hid_t   fa, fb;
  CmpList l = {NULL, 0, 0};

  PetscFunctionBeginUser;
  fa = H5Fopen(fna, H5F_ACC_RDONLY, H5P_DEFAULT);
  PetscCheck(fa >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: cannot read (not an HDF5 file?)", fna);
  fb = H5Fopen(fnb, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (fb < 0) H5Fclose(fa);
  PetscCheck(fb >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: cannot read (not an HDF5 file?)", fnb);
  PetscCall(ListDatasets(fa, fna, &l));
  for (int i = 0; i < l.n; i++)
    PetscCall(CompareDataset(c, fa, fb, fna, fnb, l.name[i]));
  *ndatasets = l.n;
  {
    CmpList lb = {NULL, 0, 0};
    PetscCall(ListDatasets(fb, fnb, &lb));
    for (int i = 0; i < lb.n; i++)
      if (!H5Has(fa, lb.name[i])) c->extra++;
    ListFree(&lb);
  }
  ListFree(&l);
  H5Fclose(fa);
  H5Fclose(fb);
  PetscFunctionReturn(0);
}

/* ---------------------------------------------------------------- CSV */

typedef struct {
  int    nrow, ncol;
  char **cell; /* [nrow][ncol], row 0 the header */
  char  *text;
} CmpCsv;

static PetscErrorCode LoadCsv(const char *path, CmpCsv *t)
{
  FILE *f = fopen(path, "rb");
  long  len;
  int   cap = 0;
  char *s, *line;

  PetscFunctionBeginUser;
  memset(t, 0, sizeof(*t));
  PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: cannot read: %s", path, strerror(errno));
  fseek(f, 0, SEEK_END);
  len = ftell(f);
  fseek(f, 0, SEEK_SET);
  t->text = malloc((size_t)len + 1);
  PetscCheck(t->text, PETSC_COMM_SELF, PETSC_ERR_MEM, "%s: out of memory", path);
  PetscCheck(fread(t->text, 1, (size_t)len, f) == (size_t)len, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: cannot read", path);
  fclose(f);
  t->text[len] = 0;
  for (s = t->text; *s; s = line) {
    char *end = strchr(s, '\n');
    int   k   = 0;
    line      = end ? end + 1 : s + strlen(s);
    if (end) *end = 0;
    if (end > s && end[-1] == '\r') end[-1] = 0;
    if (!*s) continue; /* blank line */
    {
      int ncol = 1;
      for (char *q = s; *q; q++)
        ncol += *q == ',';
      if (!t->nrow) t->ncol = ncol;
      PetscCheck(ncol == t->ncol, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: line %d has %d columns, the header %d", path, t->nrow + 1, ncol, t->ncol);
    }
    if (t->nrow == cap) {
      char **more = realloc(t->cell, (size_t)(cap = 2 * cap + 64) * (size_t)t->ncol * sizeof(char *));
      PetscCheck(more, PETSC_COMM_SELF, PETSC_ERR_MEM, "%s: out of memory", path);
      t->cell = more;
    }
    for (char *q = s;; q++) {
      if (q == s || q[-1] == 0) t->cell[(size_t)t->nrow * t->ncol + k++] = q;
      if (*q == ',') *q = 0;
      else if (!*q) break;
    }
    t->nrow++;
  }
  PetscCheck(t->nrow > 0, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: empty (expected a header line)", path);
  PetscFunctionReturn(0);
}

static int Num(const char *s, double *v)
{
  char *end;

  *v = strtod(s, &end);
  return end != s && !*end;
}

static PetscErrorCode CompareCsvFiles(Cmp *c, const char *fa, const char *fb, const char *name, int *rows, int *cols)
{
  CmpCsv a, b;
  char   field[CMP_FIELD_LEN];

  PetscFunctionBeginUser;
  PetscCall(LoadCsv(fa, &a));
  PetscCall(LoadCsv(fb, &b));
  *rows = a.nrow - 1;
  *cols = a.ncol;
  if (a.ncol != b.ncol || a.nrow != b.nrow) {
    Hard(c, "", "%d rows x %d columns in A, %d x %d in B", a.nrow - 1, a.ncol, b.nrow - 1, b.ncol);
    goto done;
  }
  for (int j = 0; j < a.ncol; j++)
    if (strcmp(a.cell[j], b.cell[j])) {
      snprintf(field, sizeof(field), "line 1 column %d", j + 1);
      Hard(c, field, "header \"%s\" in A, \"%s\" in B", a.cell[j], b.cell[j]);
      goto done;
    }
  for (int j = 0; j < a.ncol; j++) {
    double scale = 0, rtol, atol, x, y;
    char   col[CMP_FIELD_LEN];
    snprintf(col, sizeof(col), "%s:%s", name, a.cell[j]);
    if (Ignored(c, col)) {
      c->ignored++;
      continue;
    }
    Tolerances(c, col, &rtol, &atol);
    for (int i = 1; i < a.nrow; i++)
      if (Num(a.cell[(size_t)i * a.ncol + j], &x) && isfinite(x)) scale = PetscMax(scale, fabs(x));
    for (int i = 1; i < a.nrow; i++) {
      const char *sa = a.cell[(size_t)i * a.ncol + j], *sb = b.cell[(size_t)i * b.ncol + j];
      snprintf(field, sizeof(field), "line %d column %s", i + 1, a.cell[j]);
      if (Num(sa, &x) && Num(sb, &y)) Number(c, field, x, y, Diff(x, y), scale, rtol, atol);
      else {
        c->values++;
        if (strcmp(sa, sb)) Hard(c, field, "\"%.100s\" in A, \"%.100s\" in B", sa, sb);
      }
    }
  }
done:
  free(a.cell);
  free(a.text);
  free(b.cell);
  free(b.text);
  PetscFunctionReturn(0);
}

/* ---------------------------------------------------------------- the command */

static PetscErrorCode ParseTolerance(const char *flag, const char *value, double *dflt, CmpRule *rules, int *n)
{
  const char *eq  = strrchr(value, '=');
  const char *num = eq ? eq + 1 : value;
  char       *end;
  double      v;

  PetscFunctionBeginUser;
  v = strtod(num, &end);
  HavocCheckUser(end != num && !*end && isfinite(v) && v >= 0, PETSC_COMM_SELF, "%s %s: expected a non-negative number, or FIELD=NUMBER", flag, value);
  HavocCheckUser(!eq || eq > value, PETSC_COMM_SELF, "%s %s: expected FIELD=NUMBER with a field name (e.g. summary.bolus.peak_tip_pressure_Pa=1e-6)", flag, value);
  if (!eq) *dflt = v;
  else {
    char *pattern;
    HavocCheckUser(*n < CMP_MAX_RULES, PETSC_COMM_SELF, "too many %s rules (at most %d)", flag, CMP_MAX_RULES);
    PetscCall(PetscStrallocpy(value, &pattern));
    pattern[eq - value] = 0;
    rules[*n].pattern   = pattern;
    rules[(*n)++].value = v;
  }
  PetscFunctionReturn(0);
}

static int ByName(const void *x, const void *y)
{
  return strcmp(*(char *const *)x, *(char *const *)y);
}

static int Kind(const char *name)
{
  size_t n = strlen(name);
  if (n > 5 && !strcmp(name + n - 5, ".json")) return 1;
  if (n > 3 && !strcmp(name + n - 3, ".h5")) return 2;
  if (n > 4 && !strcmp(name + n - 4, ".csv")) return 3;
  return 0;
}

/* "[FILE ]FIELD: what" (values: with the two values and the tolerance) */
static void Describe(const CmpWorst *w, int values, char *buf, size_t len)
{
  char where[CMP_FIELD_LEN + PETSC_MAX_PATH_LEN];

  if (values) snprintf(where, sizeof(where), "%s%s%s", w->file, w->field[0] ? " " : "", w->field);
  else snprintf(where, sizeof(where), "%s", w->field[0] ? w->field : w->file);
  if (!w->numeric) snprintf(buf, len, "%s: %s", where, w->what);
  else if (w->diff == 0) snprintf(buf, len, "%s: identical", where);
  else if (values) snprintf(buf, len, "%s: |B - A| = %.3g (%.3g relative; %.12g in A, %.12g in B), %.3g of the tolerance (rtol %g, atol %g)", where, w->diff, w->rel, w->a, w->b, w->ratio, w->rtol, w->atol);
  else snprintf(buf, len, "%s: |B - A| = %.3g, %.3g relative, %.3g of the tolerance", where, w->diff, w->rel, w->ratio);
}

PetscErrorCode HavocCmdCompare(MPI_Comm comm, const HavocArgs *args)
{
  Cmp         c;
  CmpWorst    all;
  PetscMPIInt rank;
  const char *A, *B;
  struct stat st;
  char      **names  = NULL, fa[PETSC_MAX_PATH_LEN], fb[PETSC_MAX_PATH_LEN], text[16384];
  int         nnames = 0, isdir;
  long        bad    = 0;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  memset(&c, 0, sizeof(c));
  c.rtol = 1e-9;
  c.atol = 0;
  HavocCheckUser(args->npos == 2, comm, "usage: havoc compare A B [--rtol [FIELD=]R] [--atol [FIELD=]A] [--ignore FIELD]: A a run or reference directory (or a .json, .h5 or .csv file), B another");
  for (int i = 0; i < args->nflag; i++) {
    if (!strcmp(args->flag[i], "--rtol")) PetscCall(ParseTolerance("--rtol", args->value[i], &c.rtol, c.rrule, &c.nrrule));
    else if (!strcmp(args->flag[i], "--atol")) PetscCall(ParseTolerance("--atol", args->value[i], &c.atol, c.arule, &c.narule));
    else if (!strcmp(args->flag[i], "--ignore")) {
      HavocCheckUser(args->value[i][0], comm, "--ignore: expected a field name");
      HavocCheckUser(c.nignore < CMP_MAX_RULES, comm, "too many --ignore (at most %d)", CMP_MAX_RULES);
      c.ignore[c.nignore++] = args->value[i];
    }
  }
  PetscCall(HavocOptionsCheckUnused(comm));
  if (rank) PetscFunctionReturn(0);
  A = args->pos[0];
  B = args->pos[1];
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  HavocCheckUser(!stat(A, &st), PETSC_COMM_SELF, "%s: %s", A, strerror(errno));
  isdir = S_ISDIR(st.st_mode);
  HavocCheckUser(!stat(B, &st), PETSC_COMM_SELF, "%s: %s", B, strerror(errno));
  HavocCheckUser(isdir == !!S_ISDIR(st.st_mode), PETSC_COMM_SELF, "%s and %s: compare two directories or two files, not one of each", A, B);
  if (isdir) { /* the .json, .h5 and .csv files of A, by name */
    DIR           *d = opendir(A);
    struct dirent *e;
    HavocCheckUser(d, PETSC_COMM_SELF, "%s: cannot read the directory: %s", A, strerror(errno));
    while ((e = readdir(d)))
      if (e->d_name[0] != '.' && Kind(e->d_name)) {
        PetscCall(PetscRealloc(sizeof(char *) * (size_t)(nnames + 1), &names));
        PetscCall(PetscStrallocpy(e->d_name, &names[nnames++]));
      }
    closedir(d);
    HavocCheckUser(nnames > 0, PETSC_COMM_SELF, "%s: nothing to compare (no .json, .h5 or .csv file)", A);
    qsort(names, (size_t)nnames, sizeof(char *), ByName);
  } else {
    const char *base = strrchr(A, '/') ? strrchr(A, '/') + 1 : A;
    HavocCheckUser(Kind(base) && Kind(base) == Kind(strrchr(B, '/') ? strrchr(B, '/') + 1 : B), PETSC_COMM_SELF, "%s and %s: expected two .json, two .h5 or two .csv files", A, B);
    PetscCall(PetscMalloc1(1, &names));
    PetscCall(PetscStrallocpy(base, &names[nnames++]));
  }
  memset(&all, 0, sizeof(all));
  all.ratio = -1;
  for (int i = 0; i < nnames; i++) {
    char line[128];
    if (isdir) {
      snprintf(fa, sizeof(fa), "%s/%s", A, names[i]);
      snprintf(fb, sizeof(fb), "%s/%s", B, names[i]);
    } else {
      snprintf(fa, sizeof(fa), "%s", A);
      snprintf(fb, sizeof(fb), "%s", B);
    }
    HavocCheckUser(!access(fa, R_OK), PETSC_COMM_SELF, "%s: cannot read: %s", fa, strerror(errno));
    memset(&c.worst, 0, sizeof(c.worst));
    c.values = c.ignored = c.extra = c.bad = 0;
    if (access(fb, F_OK)) {
      Hard(&c, "", "missing in B (%s)", fb);
      snprintf(line, sizeof(line), "missing in B");
    } else if (Kind(names[i]) == 1) {
      PetscCall(CompareJsonFiles(&c, fa, fb, names[i]));
      snprintf(line, sizeof(line), "%ld values", c.values);
    } else if (Kind(names[i]) == 2) {
      int nd = 0;
      PetscCall(CompareH5Files(&c, fa, fb, &nd));
      snprintf(line, sizeof(line), "%d datasets, %ld values", nd, c.values);
    } else {
      int rows = 0, cols = 0;
      PetscCall(CompareCsvFiles(&c, fa, fb, names[i], &rows, &cols));
      snprintf(line, sizeof(line), "%d rows x %d columns", rows, cols);
    }
    snprintf(c.worst.file, sizeof(c.worst.file), "%s", names[i]);
    if (c.ignored) snprintf(line + strlen(line), sizeof(line) - strlen(line), " (%ld ignored)", c.ignored);
    if (c.extra) snprintf(line + strlen(line), sizeof(line) - strlen(line), " (%ld only in B)", c.extra);
    if (!c.worst.field[0] && !c.worst.what[0]) printf("  %-24s %s: nothing compared\n", names[i], line);
    else if (c.worst.numeric && c.worst.diff == 0) printf("  %-24s %s: all identical\n", names[i], line);
    else {
      Describe(&c.worst, 0, text, sizeof(text));
      printf("  %-24s %s: worst %s%s\n", names[i], line, text, c.bad > 1 ? " (and more beyond tolerance)" : "");
    }
    if ((c.worst.field[0] || c.worst.what[0]) && c.worst.ratio > all.ratio) all = c.worst;
    bad += c.bad;
  }
  fflush(stdout);
  for (int i = 0; i < nnames; i++)
    PetscCall(PetscFree(names[i]));
  PetscCall(PetscFree(names));
  for (int i = 0; i < c.nrrule; i++)
    PetscCall(PetscFree(c.rrule[i].pattern));
  for (int i = 0; i < c.narule; i++)
    PetscCall(PetscFree(c.arule[i].pattern));
  HavocCheckUser(all.ratio >= 0, PETSC_COMM_SELF, "%s: nothing compared", A);
  Describe(&all, 1, text, sizeof(text));
  if (all.ratio > 1) SETERRQ(PETSC_COMM_SELF, PETSC_ERR_USER, "%s and %s differ beyond tolerance: %s%s", A, B, text, bad > 1 ? " (and more)" : "");
  if (all.numeric && all.diff == 0) printf("  within tolerance: all identical\n");
  else printf("  within tolerance: worst %s\n", text);
  PetscFunctionReturn(0);
}
