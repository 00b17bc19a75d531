/* Periodic waveform from a table t, v(t): linear or periodic cubic-spline interpolation.

   The table covers one period: its last row (t = t0 + T) repeats its first. The spline is the periodic
   C2 interpolant (second derivatives from the cyclic tridiagonal system, solved with the Sherman-Morrison
   correction), which reproduces a smooth Fourier-series waveform far better than linear segments. */
#include "waveform.h"
#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  PetscInt   n;         /* rows, the last one closing the period */
  PetscReal *t, *v, *m; /* m: second derivatives (spline) or NULL (linear) */
  PetscReal  t0, period;
} Table;

PetscErrorCode HavocTableRead(MPI_Comm comm, const char path[], PetscInt ncol, PetscInt *nrow, PetscReal **data)
{
  PetscMPIInt rank;
  PetscInt    n = 0, cap = 0;
  PetscReal  *d                             = NULL;
  char        msg[PETSC_MAX_PATH_LEN + 256] = "";

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!rank) {
    FILE *f = fopen(path, "r");
    char  line[4096];
    int   lineno = 0;
    if (!f) snprintf(msg, sizeof(msg), "cannot open table '%s': %s", path, strerror(errno));
    while (f && !msg[0] && fgets(line, sizeof(line), f)) {
      char    *p = line, *end;
      PetscInt k;
      lineno++;
      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '#' || *p == '\n' || *p == '\r' || !*p) continue;
      if (n == cap) {
        PetscReal *grown;
        cap   = cap ? 2 * cap : 256;
        grown = realloc(d, (size_t)(cap * ncol) * sizeof(*d));
        if (!grown) {
          snprintf(msg, sizeof(msg), "%s: out of memory at line %d", path, lineno);
          break;
        }
        d = grown;
      }
      for (k = 0; k < ncol; k++) {
        errno           = 0;
        d[n * ncol + k] = strtod(p, &end);
        if (end == p || errno) break;
        p = end;
      }
      while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
      if (k < ncol || *p) snprintf(msg, sizeof(msg), "%s:%d: expected %d numbers per row", path, lineno, (int)ncol);
      else if (n > 0 && !(d[n * ncol] > d[(n - 1) * ncol])) snprintf(msg, sizeof(msg), "%s:%d: times must increase strictly (%.6g after %.6g)", path, lineno, d[n * ncol], d[(n - 1) * ncol]);
      else n++;
    }
    if (f) fclose(f);
    if (!msg[0] && n < 2) snprintf(msg, sizeof(msg), "%s: a table needs at least 2 rows, found %d", path, (int)n);
  }
  PetscCallMPI(MPI_Bcast(msg, sizeof(msg), MPI_CHAR, 0, comm));
  if (msg[0]) {
    free(d);
    SETERRQ(comm, strncmp(msg, "cannot open", 11) ? PETSC_ERR_USER_INPUT : PETSC_ERR_FILE_OPEN, "%s", msg);
  }
  PetscCallMPI(MPI_Bcast(&n, 1, MPIU_INT, 0, comm));
  PetscCall(PetscMalloc1(n * ncol, data));
  if (!rank) PetscCall(PetscArraycpy(*data, d, n * ncol));
  free(d);
  PetscCallMPI(MPI_Bcast(*data, (PetscMPIInt)(n * ncol), MPIU_REAL, 0, comm));
  *nrow = n;
  PetscFunctionReturn(0);
}

/* Solves the cyclic tridiagonal system a x_{i-1} + b x_i + c x_{i+1} = r_i (indices mod n), n >= 3, by
   the Sherman-Morrison correction of a plain tridiagonal solve. */
static PetscErrorCode CyclicTridiagonal(PetscInt n, const PetscReal *a, const PetscReal *b, const PetscReal *c, const PetscReal *r, PetscReal *x)
{
  PetscReal *bb, *u, *z, *cp, gamma = -b[0], fact;

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc4(n, &bb, n, &u, n, &z, n, &cp));
  for (PetscInt i = 0; i < n; i++)
    bb[i] = b[i];
  bb[0] -= gamma;
  bb[n - 1] -= a[0] * c[n - 1] / gamma;
  for (PetscInt i = 0; i < n; i++)
    u[i] = 0;
  u[0]     = gamma;
  u[n - 1] = c[n - 1];
  /* Thomas algorithm for the two right-hand sides r and u */
  for (PetscInt pass = 0; pass < 2; pass++) {
    const PetscReal *rhs = pass ? u : r;
    PetscReal       *sol = pass ? z : x, w;
    cp[0]                = c[0] / bb[0];
    sol[0]               = rhs[0] / bb[0];
    for (PetscInt i = 1; i < n; i++) {
      w      = bb[i] - a[i] * cp[i - 1];
      cp[i]  = c[i] / w;
      sol[i] = (rhs[i] - a[i] * sol[i - 1]) / w;
    }
    for (PetscInt i = n - 2; i >= 0; i--)
      sol[i] -= cp[i] * sol[i + 1];
  }
  fact = (x[0] + a[0] * x[n - 1] / gamma) / (1 + z[0] + a[0] * z[n - 1] / gamma);
  for (PetscInt i = 0; i < n; i++)
    x[i] -= fact * z[i];
  PetscCall(PetscFree4(bb, u, z, cp));
  PetscFunctionReturn(0);
}

static PetscErrorCode TableSpline(Table *tb)
{
  const PetscInt m = tb->n - 1; /* distinct nodes on the period */
  PetscReal     *a, *b, *c, *r;

  PetscFunctionBeginUser;
  PetscCall(PetscMalloc1(tb->n, &tb->m));
  if (m < 3) { /* too few points for a cyclic system: the spline degenerates to linear */
    for (PetscInt i = 0; i < tb->n; i++)
      tb->m[i] = 0;
    PetscFunctionReturn(0);
  }
  PetscCall(PetscMalloc4(m, &a, m, &b, m, &c, m, &r));
  for (PetscInt i = 0; i < m; i++) {
    const PetscInt  im = (i + m - 1) % m;
    const PetscReal hm = tb->t[im + 1] - tb->t[im], hp = tb->t[i + 1] - tb->t[i];
    a[i] = hm / 6;
    b[i] = (hm + hp) / 3;
    c[i] = hp / 6;
    r[i] = (tb->v[i + 1] - tb->v[i]) / hp - (tb->v[im + 1] - tb->v[im]) / hm;
  }
  PetscCall(CyclicTridiagonal(m, a, b, c, r, tb->m));
  tb->m[m] = tb->m[0];
  PetscCall(PetscFree4(a, b, c, r));
  PetscFunctionReturn(0);
}

static PetscReal TableEval(HavocWaveform w, PetscReal t)
{
  const Table *tb  = (const Table *)w->data;
  PetscReal    tau = PetscFmodReal(t - tb->t0, tb->period), h, s;
  PetscInt     lo = 0, hi = tb->n - 1;

  if (tau < 0) tau += tb->period;
  tau += tb->t0;
  while (hi - lo > 1) {
    const PetscInt mid = (lo + hi) / 2;
    if (tb->t[mid] <= tau) lo = mid;
    else hi = mid;
  }
  h = tb->t[hi] - tb->t[lo];
  s = (tau - tb->t[lo]) / h;
  if (!tb->m) return (1 - s) * tb->v[lo] + s * tb->v[hi];
  return (1 - s) * tb->v[lo] + s * tb->v[hi] - h * h / 6 * s * (1 - s) * ((2 - s) * tb->m[lo] + (1 + s) * tb->m[hi]);
}

static PetscErrorCode TableDestroy(HavocWaveform w)
{
  Table *tb = (Table *)w->data;

  PetscFunctionBeginUser;
  PetscCall(PetscFree2(tb->t, tb->v));
  PetscCall(PetscFree(tb->m));
  PetscCall(PetscFree(w->data));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocWaveformCreate_Table(HavocWaveform w, PetscOptionItems *PetscOptionsObject)
{
  const char *interp[]                 = {"linear", "spline"};
  const char *prefix                   = PetscOptionsObject->prefix ? PetscOptionsObject->prefix : "";
  char        path[PETSC_MAX_PATH_LEN] = "";
  PetscInt    nrow, which  = 1;
  PetscReal  *data, period = 0, range = 0, integral = 0;
  PetscBool   set, period_set;
  Table      *tb;

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsString("-table", "table: file with two columns, t [s] and the inlet value (SI)", NULL, path, path, sizeof(path), &set));
  PetscCall(PetscOptionsEList("-interpolation", "table: interpolation between rows", NULL, interp, 2, interp[which], &which, NULL));
  PetscCall(HavocOptionsQuantity("-period", "table: period, if longer than the table (default: its time span)", "s", 0, &period, &period_set, 0, PETSC_MAX_REAL));
  if (!set && PetscOptionsObject->printhelp) PetscFunctionReturn(0);
  HavocCheckUser(set, w->comm, "option -%stable: a table inlet needs a file (e.g. -%stable inflow.dat)", prefix, prefix);
  PetscCall(HavocTableRead(w->comm, path, 2, &nrow, &data));
  PetscCall(PetscNew(&tb));
  w->data    = tb;
  w->destroy = TableDestroy;
  tb->n      = nrow;
  PetscCall(PetscMalloc2(nrow + 1, &tb->t, nrow + 1, &tb->v));
  for (PetscInt i = 0; i < nrow; i++) {
    tb->t[i] = data[2 * i];
    tb->v[i] = data[2 * i + 1];
    range    = PetscMax(range, PetscAbsReal(tb->v[i]));
  }
  PetscCall(PetscFree(data));
  tb->t0 = tb->t[0];
  if (period_set) HavocCheckUser(period >= tb->t[nrow - 1] - tb->t0, w->comm, "option -%speriod: %.6g s is shorter than the table '%s' (%.6g s)", prefix, period, path, tb->t[nrow - 1] - tb->t0);
  if (period_set && period > tb->t[nrow - 1] - tb->t0) { /* close the period with the first row */
    tb->t[nrow] = tb->t0 + period;
    tb->v[nrow] = tb->v[0];
    tb->n       = ++nrow;
  } else {
    /* the table closes its own period: a jump at the wrap would be a discontinuity in the inflow */
    HavocCheckUser(PetscAbsReal(tb->v[nrow - 1] - tb->v[0]) <= 1e-3 * range, w->comm, "%s: the last row must repeat the first (one closed period), found %.6g and %.6g; or give a longer -%speriod", path, tb->v[0], tb->v[nrow - 1], prefix);
  }
  tb->period = tb->t[tb->n - 1] - tb->t0;
  if (which == 1) PetscCall(TableSpline(tb));
  for (PetscInt i = 0; i + 1 < tb->n; i++) {
    const PetscReal h = tb->t[i + 1] - tb->t[i];
    integral += h * (tb->v[i] + tb->v[i + 1]) / 2;
    if (tb->m) integral -= h * h * h * (tb->m[i] + tb->m[i + 1]) / 24;
  }
  w->eval   = TableEval;
  w->period = tb->period;
  w->mean   = integral / tb->period;
  PetscFunctionReturn(0);
}
