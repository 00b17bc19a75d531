/* havoc sweep SWEEP.yaml [-o DIR] [-sweep_group_size N] [-sweep_list]: a base case and a grid of options, expanded into cases with
   stable ids and run as an ensemble over MPI (docs/sweeps.md).

   The world communicator is split into groups of -sweep_group_size ranks; each group runs one case at a
   time and takes the next from a counter on world rank 0 (an MPI one-sided fetch-and-add), so slow cases
   do not idle the others. A case that fails (bad input, a numerical fault) is recorded with its error
   and the sweep goes on. Each case leaves DIR/cases/ID/status.json; a case whose status says "ok" with
   the same hash (of the base case file, the options and the values) is skipped when the sweep is run
   again, so an interrupted sweep resumes where it stopped. At the end world rank 0 writes DIR/results.csv,
   one row per case: its id, values, status, error and the chosen figures of its summary.json. */
#include "case.h"
#include "cli.h"
#include "io.h"
#include "options.h"
#include "yamlio.h"

#include <errno.h>
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SWEEP_MAX_KEYS 16
#define SWEEP_MAX_VALS 256
#define SWEEP_MAX_COLS 32

typedef struct {
  char     path[PETSC_MAX_PATH_LEN]; /* the sweep file */
  char     name[128];
  char     casefile[PETSC_MAX_PATH_LEN]; /* the base case, relative to the working directory */
  PetscInt nfixed, ngrid, ncol;
  char     fixed_key[SWEEP_MAX_KEYS][64], fixed_val[SWEEP_MAX_KEYS][128];
  char     grid_key[SWEEP_MAX_KEYS][64];
  PetscInt grid_n[SWEEP_MAX_KEYS];
  char (*grid_val[SWEEP_MAX_KEYS])[128];
  char               col[SWEEP_MAX_COLS][128]; /* summary.json paths of the table's figures */
  PetscInt           ncases;
  unsigned long long base_hash; /* of the base case file's text and the fixed options */
} Sweep;

static const char *default_cols[] = {"bolus.injected_volume_m3", "bolus.reached_ophthalmic", "treatment.total_units", "treatment.necrotic_area_cm2", "retina.retina_l.state", "retina.retina_r.state", "run.steps", "wall_time_s"};

/* FNV-1a, 64 bits */
static unsigned long long Hash(unsigned long long h, const char *s)
{
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ULL;
  }
  return h;
}

static PetscErrorCode Scalar(MPI_Comm comm, Sweep *sw, yaml_document_t *doc, yaml_node_t *n, const char what[], char out[], size_t len)
{
  PetscFunctionBeginUser;
  HavocCheckUser(n && n->type == YAML_SCALAR_NODE, comm, "%s:%d: %s: expected a value, got %s", sw->path, n ? HavocYamlLine(n) : 0, what, n ? HavocYamlKind(n) : "nothing");
  HavocCheckUser(strlen(HavocYamlText(n)) < len, comm, "%s:%d: %s: '%s' is too long (at most %d characters)", sw->path, HavocYamlLine(n), what, HavocYamlText(n), (int)len - 1);
  PetscCall(PetscStrncpy(out, HavocYamlText(n), len));
  PetscFunctionReturn(0);
}

static PetscErrorCode OptionKey(MPI_Comm comm, Sweep *sw, yaml_node_t *k, const char what[], char out[])
{
  PetscFunctionBeginUser;
  PetscCall(Scalar(comm, sw, NULL, k, what, out, 64));
  HavocCheckUser(out[0] && out[0] != '-' && !strpbrk(out, " \t=") && strcmp(out, "o"), comm, "%s:%d: %s: '%s' is not an option name (expected e.g. enzyme_units, without the dash; -o is the sweep's own)", sw->path, HavocYamlLine(k), what, out);
  PetscFunctionReturn(0);
}

/* The whole text of a regular file (free with PetscFree): HavocReadFile, after a check that a directory
   is not taken for one. */
static PetscErrorCode ReadText(MPI_Comm comm, const char path[], const char what[], char **text, size_t *len)
{
  struct stat st;

  PetscFunctionBeginUser;
  HavocCheckUser(!stat(path, &st), comm, "cannot open %s '%s': %s", what, path, strerror(errno));
  HavocCheckUser(S_ISREG(st.st_mode), comm, "cannot open %s '%s': not a regular file", what, path);
  PetscCall(HavocReadFile(comm, path, what, text, len));
  PetscFunctionReturn(0);
}

static PetscErrorCode SweepRead(MPI_Comm comm, const char path[], Sweep *sw)
{
  static const char *const keys[] = {"name", "case", "options", "grid", "columns"};
  yaml_document_t          doc;
  yaml_node_t             *root, *n;
  char                    *text = NULL, problem[256], dir[PETSC_MAX_PATH_LEN], copy[PETSC_MAX_PATH_LEN], rel[PETSC_MAX_PATH_LEN];
  size_t                   len  = 0;
  long                     line = 0;

  PetscFunctionBeginUser;
  PetscCall(PetscMemzero(sw, sizeof(*sw)));
  PetscCall(PetscStrncpy(sw->path, path, sizeof(sw->path)));
  PetscCall(ReadText(comm, path, "sweep file", &text, &len));
  {
    const int r = HavocYamlLoad(text, len, &doc, &line, problem, sizeof(problem));
    HavocCheckUser(r == HAVOC_YAML_OK, comm, "%s:%ld: %s", path, line, r == HAVOC_YAML_SYNTAX ? problem : "a second YAML document (one sweep per file)");
  }
  PetscCall(PetscFree(text));
  root = yaml_document_get_root_node(&doc);
  HavocCheckUser(root && root->type == YAML_MAPPING_NODE, comm, "%s: expected a mapping with the keys name, case, options, grid, columns", path);
  PetscCall(HavocYamlCheckKeys(comm, path, &doc, root, "sweep", keys, 5));
  PetscCall(PetscStrncpy(copy, path, sizeof(copy)));
  PetscCall(PetscStrncpy(dir, dirname(copy), sizeof(dir)));
  PetscCall(PetscStrncpy(copy, path, sizeof(copy)));
  PetscCall(PetscStrncpy(sw->name, basename(copy), sizeof(sw->name)));
  if (strrchr(sw->name, '.')) *strrchr(sw->name, '.') = 0;
  if ((n = HavocYamlFind(&doc, root, "name"))) PetscCall(Scalar(comm, sw, &doc, n, "name", sw->name, sizeof(sw->name)));
  n = HavocYamlFind(&doc, root, "case");
  HavocCheckUser(n, comm, "%s: no base case: set 'case: FILE' (a case file, relative to the sweep file)", path);
  PetscCall(Scalar(comm, sw, &doc, n, "case", rel, sizeof(rel)));
  if (rel[0] == '/') PetscCall(PetscStrncpy(sw->casefile, rel, sizeof(sw->casefile)));
  else PetscCall(PetscSNPrintf(sw->casefile, sizeof(sw->casefile), "%s/%s", dir, rel));
  HavocCheckUser(!access(sw->casefile, R_OK), comm, "%s:%d: case: cannot open '%s': %s", path, HavocYamlLine(n), sw->casefile, strerror(errno));
  if ((n = HavocYamlFind(&doc, root, "options"))) {
    yaml_node_pair_t *pr;
    HavocCheckUser(n->type == YAML_MAPPING_NODE, comm, "%s:%d: options: expected a mapping of option names to values", path, HavocYamlLine(n));
    for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
      HavocCheckUser(sw->nfixed < SWEEP_MAX_KEYS, comm, "%s: options: at most %d", path, SWEEP_MAX_KEYS);
      PetscCall(OptionKey(comm, sw, yaml_document_get_node(&doc, pr->key), "options", sw->fixed_key[sw->nfixed]));
      PetscCall(Scalar(comm, sw, &doc, yaml_document_get_node(&doc, pr->value), sw->fixed_key[sw->nfixed], sw->fixed_val[sw->nfixed], 128));
      sw->nfixed++;
    }
  }
  sw->ncases = 1;
  if ((n = HavocYamlFind(&doc, root, "grid"))) {
    yaml_node_pair_t *pr;
    HavocCheckUser(n->type == YAML_MAPPING_NODE, comm, "%s:%d: grid: expected a mapping of option names to lists of values", path, HavocYamlLine(n));
    for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
      yaml_node_t   *list = yaml_document_get_node(&doc, pr->value);
      const PetscInt g    = sw->ngrid;
      HavocCheckUser(g < SWEEP_MAX_KEYS, comm, "%s: grid: at most %d options", path, SWEEP_MAX_KEYS);
      PetscCall(OptionKey(comm, sw, yaml_document_get_node(&doc, pr->key), "grid", sw->grid_key[g]));
      HavocCheckUser(list->type == YAML_SEQUENCE_NODE && HavocYamlListLength(list) > 0, comm, "%s:%d: grid: %s: expected a non-empty list of values, got %s", path, HavocYamlLine(list), sw->grid_key[g], HavocYamlKind(list));
      sw->grid_n[g] = (PetscInt)HavocYamlListLength(list);
      HavocCheckUser(sw->grid_n[g] <= SWEEP_MAX_VALS, comm, "%s:%d: grid: %s: at most %d values", path, HavocYamlLine(list), sw->grid_key[g], SWEEP_MAX_VALS);
      PetscCall(PetscMalloc1(sw->grid_n[g], &sw->grid_val[g]));
      for (PetscInt j = 0; j < sw->grid_n[g]; j++)
        PetscCall(Scalar(comm, sw, &doc, HavocYamlListItem(&doc, list, j), sw->grid_key[g], sw->grid_val[g][j], 128));
      for (PetscInt j = 0; j < sw->nfixed; j++)
        HavocCheckUser(strcmp(sw->fixed_key[j], sw->grid_key[g]), comm, "%s:%d: grid: %s is also under options: give it in one place", path, HavocYamlLine(list), sw->grid_key[g]);
      sw->ncases *= sw->grid_n[g];
      sw->ngrid++;
      HavocCheckUser(sw->ncases <= 1000000, comm, "%s: the grid has more than a million cases", path);
    }
  }
  if ((n = HavocYamlFind(&doc, root, "columns"))) {
    HavocCheckUser(n->type == YAML_SEQUENCE_NODE, comm, "%s:%d: columns: expected a list of summary.json paths (e.g. tissue.report_times_s)", path, HavocYamlLine(n));
    for (long j = 0; j < HavocYamlListLength(n); j++) {
      HavocCheckUser(sw->ncol < SWEEP_MAX_COLS, comm, "%s: columns: at most %d", path, SWEEP_MAX_COLS);
      PetscCall(Scalar(comm, sw, &doc, HavocYamlListItem(&doc, n, j), "columns", sw->col[sw->ncol++], 128));
    }
  } else
    for (size_t j = 0; j < sizeof(default_cols) / sizeof(default_cols[0]); j++)
      PetscCall(PetscStrncpy(sw->col[sw->ncol++], default_cols[j], 128));
  yaml_document_delete(&doc);
  /* the hash of what every case shares: the base case's text and the fixed options */
  {
    char  *ct;
    size_t cl;
    PetscCall(ReadText(comm, sw->casefile, "case file", &ct, &cl));
    sw->base_hash = Hash(14695981039346656037ULL, ct);
    PetscCall(PetscFree(ct));
    for (PetscInt j = 0; j < sw->nfixed; j++)
      sw->base_hash = Hash(Hash(Hash(sw->base_hash, sw->fixed_key[j]), "="), sw->fixed_val[j]);
  }
  PetscFunctionReturn(0);
}

/* Case c: the value index of each grid option (the last option varies fastest), its id (from its values
   alone, so that it stays when other values are added to the grid) and its hash (also of the base). */
static void CaseOf(const Sweep *sw, PetscInt c, PetscInt idx[], char id[16], char hash[20])
{
  unsigned long long h = 14695981039346656037ULL, full;
  for (PetscInt g = sw->ngrid - 1; g >= 0; g--) {
    idx[g] = c % sw->grid_n[g];
    c /= sw->grid_n[g];
  }
  for (PetscInt g = 0; g < sw->ngrid; g++)
    h = Hash(Hash(Hash(Hash(h, sw->grid_key[g]), "="), sw->grid_val[g][idx[g]]), "\n");
  full = Hash(h, "") ^ sw->base_hash;
  full *= 1099511628211ULL;
  snprintf(id, 16, "c%010llx", h & 0xffffffffffULL);
  snprintf(hash, 20, "%016llx", full);
}

static PetscErrorCode WriteJsonAtomic(json_t *j, const char path[])
{
  char tmp[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(tmp, sizeof(tmp), "%s.tmp", path));
  PetscCheck(!json_dump_file(j, tmp, JSON_INDENT(2)) && !rename(tmp, path), PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "cannot write '%s': %s", path, strerror(errno));
  PetscFunctionReturn(0);
}

/* Whether case id already ran to the end with this hash. */
static PetscBool Done(const char dir[], const char id[], const char hash[])
{
  char      path[PETSC_MAX_PATH_LEN];
  json_t   *j;
  PetscBool done;

  if (snprintf(path, sizeof(path), "%s/cases/%s/status.json", dir, id) >= (int)sizeof(path)) return PETSC_FALSE;
  j = json_load_file(path, 0, NULL);
  if (!j) return PETSC_FALSE;
  done = (PetscBool)(json_is_string(json_object_get(j, "status")) && !strcmp(json_string_value(json_object_get(j, "status")), "ok") && json_is_string(json_object_get(j, "hash")) && !strcmp(json_string_value(json_object_get(j, "hash")), hash));
  json_decref(j);
  return done;
}

/* Runs case c on the group's communicator; the group's rank 0 writes its status. */
static PetscErrorCode RunCase(MPI_Comm gcomm, const Sweep *sw, const char dir[], PetscInt c, PetscBool *ran, PetscBool *ok)
{
  PetscInt       idx[SWEEP_MAX_KEYS];
  char           id[16], hash[20], out[PETSC_MAX_PATH_LEN], opt[80], status[PETSC_MAX_PATH_LEN];
  HavocArgs      args;
  PetscMPIInt    grank;
  PetscErrorCode ierr;
  json_t        *j, *params;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(gcomm, &grank));
  CaseOf(sw, c, idx, id, hash);
  *ran = PETSC_FALSE;
  *ok  = PETSC_TRUE;
  if (Done(dir, id, hash)) PetscFunctionReturn(0); /* every rank of the group reads the same file */
  *ran = PETSC_TRUE;
  PetscCall(PetscSNPrintf(out, sizeof(out), "%s/cases/%s", dir, id));
  PetscCall(PetscOptionsClear(NULL));
  PetscCall(HavocCaseClear());
  for (PetscInt k = 0; k < sw->nfixed; k++) {
    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-%s", sw->fixed_key[k]));
    PetscCall(PetscOptionsSetValue(NULL, opt, sw->fixed_val[k]));
  }
  for (PetscInt g = 0; g < sw->ngrid; g++) {
    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-%s", sw->grid_key[g]));
    PetscCall(PetscOptionsSetValue(NULL, opt, sw->grid_val[g][idx[g]]));
  }
  PetscCall(PetscOptionsSetValue(NULL, "-o", out));
  PetscCall(PetscOptionsSetValue(NULL, "-quiet", NULL));
  PetscCall(PetscMemzero(&args, sizeof(args)));
  args.command = "run";
  args.npos    = 1;
  args.pos[0]  = sw->casefile;
  HavocClearError();
  ierr = HavocCmdRun(gcomm, &args);
  *ok  = (PetscBool)!ierr;
  PetscCall(PetscOptionsClear(NULL));
  PetscCall(HavocCaseClear());
  if (grank) PetscFunctionReturn(0);
  PetscCall(PetscMkdir(out)); /* a case that failed before writing anything has no directory yet */
  j      = json_object();
  params = json_object();
  for (PetscInt g = 0; g < sw->ngrid; g++)
    json_object_set_new(params, sw->grid_key[g], json_string(sw->grid_val[g][idx[g]]));
  json_object_set_new(j, "id", json_string(id));
  json_object_set_new(j, "hash", json_string(hash));
  json_object_set_new(j, "index", json_integer(c));
  json_object_set_new(j, "params", params);
  json_object_set_new(j, "status", json_string(ierr ? "failed" : "ok"));
  json_object_set_new(j, "error", ierr ? json_string(HavocLastError()[0] ? HavocLastError() : "an internal error (see the log)") : json_null());
  PetscCall(PetscSNPrintf(status, sizeof(status), "%s/status.json", out));
  PetscCall(WriteJsonAtomic(j, status));
  json_decref(j);
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteTable(const Sweep *sw, const char dir[], PetscInt *nok, PetscInt *nfail)
{
  char  path[PETSC_MAX_PATH_LEN], tmp[PETSC_MAX_PATH_LEN], id[16], hash[20], file[PETSC_MAX_PATH_LEN + 32];
  FILE *f;

  PetscFunctionBeginUser;
  *nok = *nfail = 0;
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/results.csv", dir));
  PetscCall(PetscSNPrintf(tmp, sizeof(tmp), "%s.tmp", path));
  f = fopen(tmp, "w");
  HavocCheckUser(f, PETSC_COMM_SELF, "cannot write '%s': %s", tmp, strerror(errno));
  fprintf(f, "id,hash");
  for (PetscInt g = 0; g < sw->ngrid; g++)
    fprintf(f, ",%s", sw->grid_key[g]);
  fprintf(f, ",status,error");
  for (PetscInt k = 0; k < sw->ncol; k++)
    fprintf(f, ",%s", sw->col[k]);
  fprintf(f, "\n");
  for (PetscInt c = 0; c < sw->ncases; c++) {
    PetscInt idx[SWEEP_MAX_KEYS];
    json_t  *st, *sum;
    CaseOf(sw, c, idx, id, hash);
    PetscCall(PetscSNPrintf(file, sizeof(file), "%s/cases/%s/status.json", dir, id));
    st = json_load_file(file, 0, NULL);
    PetscCall(PetscSNPrintf(file, sizeof(file), "%s/cases/%s/summary.json", dir, id));
    sum = json_load_file(file, 0, NULL);
    fprintf(f, "%s,%s", id, hash);
    for (PetscInt g = 0; g < sw->ngrid; g++) {
      fputc(',', f);
      HavocCsvText(f, sw->grid_val[g][idx[g]]);
    }
    {
      const char *s = st && json_is_string(json_object_get(st, "status")) ? json_string_value(json_object_get(st, "status")) : "not run";
      fprintf(f, ",%s,", s);
      if (st && json_is_string(json_object_get(st, "error"))) HavocCsvText(f, json_string_value(json_object_get(st, "error")));
      if (!strcmp(s, "ok")) (*nok)++;
      else (*nfail)++;
    }
    for (PetscInt k = 0; k < sw->ncol; k++) {
      fputc(',', f);
      HavocCsvJson(f, sum ? HavocJsonPath(sum, sw->col[k]) : NULL);
    }
    fprintf(f, "\n");
    if (st) json_decref(st);
    if (sum) json_decref(sum);
  }
  HavocCheckUser(!fclose(f) && !rename(tmp, path), PETSC_COMM_SELF, "cannot write '%s': %s", path, strerror(errno));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCmdSweep(MPI_Comm comm, const HavocArgs *args)
{
  Sweep       sw;
  char        dir[PETSC_MAX_PATH_LEN] = "", id[16], hash[20];
  PetscInt    gsize = 1, ran = 0, failed = 0, nok, nfail, idx[SWEEP_MAX_KEYS];
  PetscBool   help, list = PETSC_FALSE;
  const char *out = HavocArgsFlag(args, "-o");
  PetscMPIInt rank, size, grank;
  MPI_Comm    gcomm;
  MPI_Win     win;
  int        *counter;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscOptionsHasHelp(NULL, &help));
  PetscOptionsBegin(comm, "sweep_", "havoc sweep: a grid of cases run as an ensemble (docs/sweeps.md)", NULL);
  PetscCall(HavocOptionsIntRange("-group_size", "ranks per case (the world's ranks are split into groups of this size)", gsize, &gsize, NULL, 1, size));
  PetscCall(PetscOptionsBool("-list", "list the cases (id, hash, values) and stop", NULL, list, &list, NULL));
  PetscOptionsEnd();
  if (help) PetscFunctionReturn(0);
  HavocCheckUser(args->npos == 1, comm, "usage: havoc sweep SWEEP.yaml [-o DIR] [-sweep_group_size N] [-sweep_list]; havoc sweep -help lists the options");
  HavocCheckUser(size % gsize == 0, comm, "option -sweep_group_size: %" PetscInt_FMT " does not divide the %d ranks", gsize, (int)size);
  PetscCall(HavocOptionsCheckUnused(comm));
  PetscCall(SweepRead(comm, args->pos[0], &sw));
  if (out) PetscCall(PetscStrncpy(dir, out, sizeof(dir)));
  else PetscCall(PetscSNPrintf(dir, sizeof(dir), "results/%s", sw.name));
  if (list) {
    if (!rank) {
      printf("id,hash");
      for (PetscInt g = 0; g < sw.ngrid; g++)
        printf(",%s", sw.grid_key[g]);
      printf("\n");
      for (PetscInt c = 0; c < sw.ncases; c++) {
        CaseOf(&sw, c, idx, id, hash);
        printf("%s,%s", id, hash);
        for (PetscInt g = 0; g < sw.ngrid; g++)
          printf(",%s", sw.grid_val[g][idx[g]]);
        printf("\n");
      }
      fflush(stdout);
    }
    for (PetscInt g = 0; g < sw.ngrid; g++)
      PetscCall(PetscFree(sw.grid_val[g]));
    PetscFunctionReturn(0);
  }
  if (!rank) {
    char cases[PETSC_MAX_PATH_LEN + 8];
    PetscCall(PetscMkdir(dir));
    PetscCall(PetscSNPrintf(cases, sizeof(cases), "%s/cases", dir));
    PetscCall(PetscMkdir(cases));
  }
  PetscCallMPI(MPI_Barrier(comm));
  PetscCall(PetscPrintf(comm, "havoc: sweep %s: %" PetscInt_FMT " cases of %s, %d group%s of %" PetscInt_FMT " rank%s, results in %s/\n", sw.name, sw.ncases, sw.casefile, (int)(size / gsize), size / gsize == 1 ? "" : "s", gsize, gsize == 1 ? "" : "s", dir));
  PetscCallMPI(MPI_Comm_split(comm, (PetscMPIInt)(rank / gsize), rank, &gcomm));
  PetscCallMPI(MPI_Comm_rank(gcomm, &grank));
  PetscCallMPI(MPI_Win_allocate(rank ? 0 : (MPI_Aint)sizeof(int), sizeof(int), MPI_INFO_NULL, comm, &counter, &win));
  if (!rank) *counter = 0;
  PetscCallMPI(MPI_Barrier(comm));
  for (;;) {
    int       next = 0, one = 1;
    PetscBool did = PETSC_FALSE, ok = PETSC_TRUE;
    if (!grank) {
      PetscCallMPI(MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, win));
      PetscCallMPI(MPI_Fetch_and_op(&one, &next, MPI_INT, 0, 0, MPI_SUM, win));
      PetscCallMPI(MPI_Win_unlock(0, win));
    }
    PetscCallMPI(MPI_Bcast(&next, 1, MPI_INT, 0, gcomm));
    if (next >= sw.ncases) break;
    PetscCall(RunCase(gcomm, &sw, dir, next, &did, &ok));
    if (!grank && did) {
      CaseOf(&sw, next, idx, id, hash);
      printf("havoc: sweep: case %d of %d (%s) %s%s\n", next + 1, (int)sw.ncases, id, ok ? "done" : "failed: ", ok ? "" : HavocLastError());
      fflush(stdout);
      ran++;
      failed += !ok;
    }
  }
  PetscCallMPI(MPI_Barrier(comm));
  PetscCallMPI(MPI_Win_free(&win));
  PetscCallMPI(MPI_Comm_free(&gcomm));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &ran, 1, MPIU_INT, MPI_SUM, comm));
  if (!rank) {
    PetscCall(WriteTable(&sw, dir, &nok, &nfail));
    printf("havoc: sweep %s: %" PetscInt_FMT " cases, %" PetscInt_FMT " run now, %" PetscInt_FMT " skipped (done before); %" PetscInt_FMT " ok, %" PetscInt_FMT " failed; table in %s/results.csv\n", sw.name, sw.ncases, ran, sw.ncases - ran, nok, nfail, dir);
    fflush(stdout);
  }
  for (PetscInt g = 0; g < sw.ngrid; g++)
    PetscCall(PetscFree(sw.grid_val[g]));
  PetscFunctionReturn(0);
}
