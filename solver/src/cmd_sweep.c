/* havoc sweep SWEEP.yaml [-o DIR] [options]: a base case, a grid of options and a virtual population,
   expanded into cases with stable ids and run as an ensemble over MPI (docs/sweeps.md).

   The world communicator is split into groups of -sweep_group_size ranks; each group runs one case at a
   time and takes the next from a counter on world rank 0 (an MPI one-sided fetch-and-add), so slow cases
   do not idle the others. A case that fails (bad input, a numerical fault) is recorded with its error
   and the sweep goes on. Each case leaves DIR/cases/ID/status.json; a case whose status says "ok" with
   the same hash (of the base case file, the options and the values) is skipped when the sweep is run
   again, so an interrupted sweep resumes where it stopped. At the end world rank 0 writes DIR/results.csv
   and DIR/results.h5, one row per case: its id, values, status, error and the chosen figures of its
   summary.json. A population draws a virtual patient per seed (havoc mesh sample, then havoc calibrate if
   a calibration file is given) into DIR/patients/, shared by every case of that seed. -sweep_chunk I
   -sweep_chunks N runs only the I-th of N contiguous chunks (a Slurm array task, --slurm FILE writes the
   script); the tables are then written under a lock by every task, the last one seeing every case. */
#include "case.h"
#include "checkpoint.h"
#include "cli.h"
#include "io.h"
#include "options.h"
#include "yamlio.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SWEEP_MAX_KEYS  16
#define SWEEP_MAX_VALS  256
#define SWEEP_MAX_COLS  32
#define SWEEP_MAX_SEEDS 100000

typedef struct {
  char     path[PETSC_MAX_PATH_LEN]; /* the sweep file */
  char     name[128];
  char     casefile[PETSC_MAX_PATH_LEN]; /* the base case, relative to the working directory */
  PetscInt nfixed, ngrid, ncol;
  char     fixed_key[SWEEP_MAX_KEYS][64], fixed_val[SWEEP_MAX_KEYS][128];
  char     grid_key[SWEEP_MAX_KEYS][64];
  PetscInt grid_n[SWEEP_MAX_KEYS];
  char (*grid_val[SWEEP_MAX_KEYS])[128];
  PetscBool          pop;                             /* grid option 0 is the population's "seed" */
  char               variants[PETSC_MAX_PATH_LEN];    /* the population's variant file, or "" (havoc's) */
  char               calibration[PETSC_MAX_PATH_LEN]; /* its calibration file, or "" (none) */
  char               col[SWEEP_MAX_COLS][128];        /* summary.json paths of the table's figures */
  PetscInt           ncases;
  unsigned long long base_hash; /* of the base case file's text and the fixed options */
} Sweep;

static const char *default_cols[] = {"bolus.injected_volume_m3", "bolus.reached_ophthalmic", "treatment.total_units", "treatment.necrotic_area_cm2", "retina.retina_l.state", "retina.retina_r.state", "run.steps", "wall_time_s"};

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

/* A path of the sweep file: relative to the sweep file's directory. */
static PetscErrorCode Relative(MPI_Comm comm, Sweep *sw, yaml_node_t *n, const char what[], const char dir[], char out[])
{
  char rel[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCall(Scalar(comm, sw, NULL, n, what, rel, sizeof(rel)));
  if (rel[0] == '/') PetscCall(PetscStrncpy(out, rel, PETSC_MAX_PATH_LEN));
  else HavocCheckUser(snprintf(out, PETSC_MAX_PATH_LEN, "%s/%s", dir, rel) < PETSC_MAX_PATH_LEN, comm, "%s:%d: %s: path too long", sw->path, HavocYamlLine(n), what);
  HavocCheckUser(!access(out, R_OK), comm, "%s:%d: %s: cannot open '%s': %s", sw->path, HavocYamlLine(n), what, out, strerror(errno));
  PetscFunctionReturn(0);
}

/* One seed: a decimal integer >= 0 (a virtual patient of havoc mesh sample). */
static PetscErrorCode Seed(MPI_Comm comm, Sweep *sw, yaml_node_t *n, const char text[], unsigned long long *seed)
{
  char *end;

  PetscFunctionBeginUser;
  errno = 0;
  *seed = strtoull(text, &end, 10);
  HavocCheckUser(text[0] >= '0' && text[0] <= '9' && !*end && !errno, comm, "%s:%d: population: seeds: expected integers >= 0 (a list, or a range FIRST-LAST), got '%s'", sw->path, HavocYamlLine(n), text);
  PetscFunctionReturn(0);
}

/* population: {seeds: [1, 2, 3] | FIRST-LAST, variants: FILE, calibration: FILE}: grid option 0, "seed". */
static PetscErrorCode ReadPopulation(MPI_Comm comm, Sweep *sw, yaml_document_t *doc, yaml_node_t *map, const char dir[])
{
  static const char *const keys[] = {"seeds", "variants", "calibration"};
  yaml_node_t             *n;
  unsigned long long       lo, hi;
  char                     text[128], *dash;

  PetscFunctionBeginUser;
  HavocCheckUser(map->type == YAML_MAPPING_NODE, comm, "%s:%d: population: expected a mapping with seeds and optionally variants and calibration", sw->path, HavocYamlLine(map));
  PetscCall(HavocYamlCheckKeys(comm, sw->path, doc, map, "population", keys, 3));
  if ((n = HavocYamlFind(doc, map, "variants"))) PetscCall(Relative(comm, sw, n, "population: variants", dir, sw->variants));
  if ((n = HavocYamlFind(doc, map, "calibration"))) PetscCall(Relative(comm, sw, n, "population: calibration", dir, sw->calibration));
  n = HavocYamlFind(doc, map, "seeds");
  HavocCheckUser(n, comm, "%s:%d: population: no seeds: set 'seeds: [1, 2, 3]' or a range 'seeds: 1-100'", sw->path, HavocYamlLine(map));
  PetscCall(PetscStrncpy(sw->grid_key[0], "seed", sizeof(sw->grid_key[0])));
  if (n->type == YAML_SEQUENCE_NODE) {
    sw->grid_n[0] = (PetscInt)HavocYamlListLength(n);
    HavocCheckUser(sw->grid_n[0] > 0 && sw->grid_n[0] <= SWEEP_MAX_SEEDS, comm, "%s:%d: population: seeds: expected 1 to %d seeds", sw->path, HavocYamlLine(n), SWEEP_MAX_SEEDS);
    PetscCall(PetscMalloc1(sw->grid_n[0], &sw->grid_val[0]));
    for (PetscInt j = 0; j < sw->grid_n[0]; j++) {
      yaml_node_t *item = HavocYamlListItem(doc, n, j);
      PetscCall(Scalar(comm, sw, doc, item, "population: seeds", sw->grid_val[0][j], 128));
      PetscCall(Seed(comm, sw, item, sw->grid_val[0][j], &lo));
      PetscCall(PetscSNPrintf(sw->grid_val[0][j], 128, "%llu", lo)); /* one spelling per seed: 007 is 7 */
    }
  } else {
    PetscCall(Scalar(comm, sw, doc, n, "population: seeds", text, sizeof(text)));
    dash = strchr(text, '-');
    HavocCheckUser(dash, comm, "%s:%d: population: seeds: expected a list of seeds or a range FIRST-LAST, got '%s'", sw->path, HavocYamlLine(n), text);
    *dash = 0;
    PetscCall(Seed(comm, sw, n, text, &lo));
    PetscCall(Seed(comm, sw, n, dash + 1, &hi));
    HavocCheckUser(lo <= hi && hi - lo < SWEEP_MAX_SEEDS, comm, "%s:%d: population: seeds: the range %llu-%llu must go up and hold at most %d seeds", sw->path, HavocYamlLine(n), lo, hi, SWEEP_MAX_SEEDS);
    sw->grid_n[0] = (PetscInt)(hi - lo + 1);
    PetscCall(PetscMalloc1(sw->grid_n[0], &sw->grid_val[0]));
    for (PetscInt j = 0; j < sw->grid_n[0]; j++)
      PetscCall(PetscSNPrintf(sw->grid_val[0][j], 128, "%llu", lo + (unsigned long long)j));
  }
  for (PetscInt j = 0; j < sw->nfixed; j++)
    HavocCheckUser(strcmp(sw->fixed_key[j], "mesh"), comm, "%s: options: mesh: the population sets each case's network", sw->path);
  sw->pop    = PETSC_TRUE;
  sw->ngrid  = 1;
  sw->ncases = sw->grid_n[0];
  PetscFunctionReturn(0);
}

static PetscErrorCode SweepRead(MPI_Comm comm, const char path[], Sweep *sw)
{
  static const char *const keys[] = {"name", "case", "options", "population", "grid", "columns"};
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
    PetscCall(PetscFree(text));
    HavocCheckUser(r == HAVOC_YAML_OK, comm, "%s:%ld: %s", path, line, r == HAVOC_YAML_SYNTAX ? problem : "a second YAML document (one sweep per file)");
  }
  root = yaml_document_get_root_node(&doc);
  HavocCheckUser(root && root->type == YAML_MAPPING_NODE, comm, "%s: expected a mapping with the keys name, case, options, population, grid, columns", path);
  PetscCall(HavocYamlCheckKeys(comm, path, &doc, root, "sweep", keys, 6));
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
  if ((n = HavocYamlFind(&doc, root, "population"))) PetscCall(ReadPopulation(comm, sw, &doc, n, dir));
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
      HavocCheckUser(!sw->pop || (strcmp(sw->grid_key[g], "mesh") && strcmp(sw->grid_key[g], "seed")), comm, "%s:%d: grid: %s: the population sets each case's network (-mesh) and seed", path, HavocYamlLine(list), sw->grid_key[g]);
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
    sw->base_hash = HavocHash(HAVOC_HASH_INIT, ct);
    PetscCall(PetscFree(ct));
    for (PetscInt j = 0; j < sw->nfixed; j++)
      sw->base_hash = HavocHash(HavocHash(HavocHash(sw->base_hash, sw->fixed_key[j]), "="), sw->fixed_val[j]);
    if (sw->pop) {
      /* a patient depends on the variant file and the calibration file as well */
      const char *files[2] = {sw->variants, sw->calibration};
      for (int k = 0; k < 2; k++) {
        if (!files[k][0]) continue;
        PetscCall(ReadText(comm, files[k], k ? "calibration file" : "variant file", &ct, &cl));
        sw->base_hash = HavocHash(sw->base_hash, ct);
        PetscCall(PetscFree(ct));
      }
    }
  }
  PetscFunctionReturn(0);
}

/* Case c: the value index of each grid option (the last option varies fastest), its id (from its values
   alone, so that it stays when other values are added to the grid) and its hash (also of the base). */
static void CaseOf(const Sweep *sw, PetscInt c, PetscInt idx[], char id[16], char hash[20])
{
  unsigned long long h = HAVOC_HASH_INIT, full;
  for (PetscInt g = sw->ngrid - 1; g >= 0; g--) {
    idx[g] = c % sw->grid_n[g];
    c /= sw->grid_n[g];
  }
  for (PetscInt g = 0; g < sw->ngrid; g++)
    h = HavocHash(HavocHash(HavocHash(HavocHash(h, sw->grid_key[g]), "="), sw->grid_val[g][idx[g]]), "\n");
  full = HavocHash(h, "") ^ sw->base_hash;
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

/* The arguments of a subcommand with one positional word, as main.c would split them. */
static void Args(HavocArgs *args, const char command[], const char pos[])
{
  memset(args, 0, sizeof(*args));
  args->command = command;
  args->npos    = 1;
  args->pos[0]  = pos;
}

/* The network of a virtual patient: DIR/patients/seed-S.yaml drawn by havoc mesh sample and, with a
   calibration file, DIR/patients/seed-S-calibrated.yaml fitted by havoc calibrate; made by the first case
   of that seed and shared by the others (two groups that make it at once write the same file, each
   atomically). What the two commands print goes to DIR/patients/seed-S.log; a patient that cannot be made
   (a calibration that does not converge) leaves its error in seed-S.error, and the other cases of the
   seed fail with it at once. */
static PetscErrorCode Patient(MPI_Comm gcomm, const Sweep *sw, const char dir[], const char seed[], char mesh[])
{
  char           sample[PETSC_MAX_PATH_LEN], cal[PETSC_MAX_PATH_LEN], log[PETSC_MAX_PATH_LEN], error[PETSC_MAX_PATH_LEN], pdir[PETSC_MAX_PATH_LEN];
  HavocArgs      args;
  PetscMPIInt    grank;
  PetscErrorCode ierr;
  int            saved = -1;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(gcomm, &grank));
  PetscCall(PetscSNPrintf(pdir, sizeof(pdir), "%s/patients", dir));
  PetscCall(PetscSNPrintf(sample, sizeof(sample), "%s/seed-%s.yaml", pdir, seed));
  PetscCall(PetscSNPrintf(cal, sizeof(cal), "%s/seed-%s-calibrated.yaml", pdir, seed));
  PetscCall(PetscSNPrintf(log, sizeof(log), "%s/seed-%s.log", pdir, seed));
  PetscCall(PetscSNPrintf(error, sizeof(error), "%s/seed-%s.error", pdir, seed));
  PetscCall(PetscStrncpy(mesh, sw->calibration[0] ? cal : sample, PETSC_MAX_PATH_LEN));
  if (!access(mesh, R_OK)) PetscFunctionReturn(0);
  if (!access(error, R_OK)) {
    char  *text;
    size_t len;
    PetscCall(HavocReadFile(gcomm, error, "patient error", &text, &len));
    if (len && text[len - 1] == '\n') text[len - 1] = 0;
    HavocCheckUser(0, gcomm, "virtual patient %s: %s (the patient failed in an earlier case; delete %s to try again)", seed, text, error);
  }
  if (!grank) {
    int fd;
    PetscCall(PetscMkdir(pdir));
    fflush(stdout);
    fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) { /* else what they print goes to the sweep's own output */
      saved = dup(1);
      (void)dup2(fd, 1);
      close(fd);
    }
  }
  PetscCall(PetscOptionsClear(NULL));
  PetscCall(PetscOptionsSetValue(NULL, "-o", sample));
  if (sw->variants[0]) PetscCall(PetscOptionsSetValue(NULL, "-variants", sw->variants));
  Args(&args, "mesh", "sample");
  args.nflag    = 1;
  args.flag[0]  = "--seed";
  args.value[0] = seed;
  ierr          = HavocCmdMesh(gcomm, &args);
  if (!ierr && sw->calibration[0]) {
    PetscCall(PetscOptionsClear(NULL));
    PetscCall(PetscOptionsSetValue(NULL, "-network", sample));
    PetscCall(PetscOptionsSetValue(NULL, "-o", cal));
    Args(&args, "calibrate", sw->calibration);
    ierr = HavocCmdCalibrate(gcomm, &args);
  }
  PetscCall(PetscOptionsClear(NULL));
  if (!grank) {
    fflush(stdout);
    if (saved >= 0) {
      (void)dup2(saved, 1);
      close(saved);
    }
    if (ierr) {
      FILE *f = fopen(error, "w");
      if (f) {
        fprintf(f, "%s\n", HavocLastError()[0] ? HavocLastError() : "an internal error (see the log)");
        fclose(f);
      }
    }
  }
  return ierr;
}

/* Whether case id was interrupted by a signal (same hash) and left a checkpoint to continue from. */
static PetscBool Interrupted(const char dir[], const char id[], const char hash[])
{
  char      file[PETSC_MAX_PATH_LEN + 64];
  json_t   *j;
  PetscBool yes = PETSC_FALSE;

  snprintf(file, sizeof(file), "%s/cases/%s/status.json", dir, id);
  if (!(j = json_load_file(file, 0, NULL))) return PETSC_FALSE;
  if (json_is_string(json_object_get(j, "status")) && !strcmp(json_string_value(json_object_get(j, "status")), "interrupted") && json_is_string(json_object_get(j, "hash")) && !strcmp(json_string_value(json_object_get(j, "hash")), hash)) {
    snprintf(file, sizeof(file), "%s/cases/%s/checkpoint/manifest.json", dir, id);
    yes = (PetscBool)!access(file, R_OK);
  }
  json_decref(j);
  return yes;
}

/* Runs case c on the group's communicator; the group's rank 0 writes its status. A case stopped by a
   signal is recorded as interrupted (*stop) and continues from its checkpoint when the sweep runs again. */
static PetscErrorCode RunCase(MPI_Comm gcomm, const Sweep *sw, const char dir[], PetscInt c, PetscBool *ran, PetscBool *ok, PetscBool *stop)
{
  PetscInt       idx[SWEEP_MAX_KEYS];
  char           id[16], hash[20], out[PETSC_MAX_PATH_LEN], opt[80], status[PETSC_MAX_PATH_LEN], mesh[PETSC_MAX_PATH_LEN];
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
  HavocClearError();
  if (Interrupted(dir, id, hash)) {
    /* its own options are in its checkpoint */
    memset(&args, 0, sizeof(args));
    args.command  = "run";
    args.nflag    = 1;
    args.flag[0]  = "--restart";
    args.value[0] = out;
    PetscCall(PetscOptionsSetValue(NULL, "-quiet", NULL));
    ierr = HavocCmdRun(gcomm, &args);
    goto ran;
  }
  ierr = sw->pop ? Patient(gcomm, sw, dir, sw->grid_val[0][idx[0]], mesh) : 0;
  PetscCall(PetscOptionsClear(NULL));
  if (sw->pop && !ierr) PetscCall(PetscOptionsSetValue(NULL, "-mesh", mesh));
  for (PetscInt k = 0; k < sw->nfixed; k++) {
    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-%s", sw->fixed_key[k]));
    PetscCall(PetscOptionsSetValue(NULL, opt, sw->fixed_val[k]));
  }
  for (PetscInt g = sw->pop ? 1 : 0; g < sw->ngrid; g++) {
    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-%s", sw->grid_key[g]));
    PetscCall(PetscOptionsSetValue(NULL, opt, sw->grid_val[g][idx[g]]));
  }
  PetscCall(PetscOptionsSetValue(NULL, "-o", out));
  PetscCall(PetscOptionsSetValue(NULL, "-quiet", NULL));
  Args(&args, "run", sw->casefile);
  if (!ierr) ierr = HavocCmdRun(gcomm, &args);
ran:
  *ok   = (PetscBool)!ierr;
  *stop = (PetscBool)(ierr == HAVOC_ERR_INTERRUPTED);
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
  json_object_set_new(j, "status", json_string(*stop ? "interrupted" : ierr ? "failed"
                                                                            : "ok"));
  json_object_set_new(j, "error", ierr ? json_string(HavocLastError()[0] ? HavocLastError() : "an internal error (see the log)") : json_null());
  PetscCall(PetscSNPrintf(status, sizeof(status), "%s/status.json", out));
  PetscCall(WriteJsonAtomic(j, status));
  json_decref(j);
  PetscFunctionReturn(0);
}

/* The table's rows, read back from every case's status.json and summary.json. */
typedef struct {
  PetscInt     n, ncol;
  const char **status, **error; /* into st[] */
  json_t     **st, **val;       /* val[c * ncol + k]: a column's value, or NULL */
} Rows;

static PetscErrorCode RowsRead(const Sweep *sw, const char dir[], Rows *r, PetscInt *nok, PetscInt *nfail)
{
  char id[16], hash[20], file[PETSC_MAX_PATH_LEN + 32];

  PetscFunctionBeginUser;
  *nok = *nfail = 0;
  r->n          = sw->ncases;
  r->ncol       = sw->ncol;
  PetscCall(PetscCalloc4(r->n, &r->status, r->n, &r->error, r->n, &r->st, r->n * r->ncol + 1, &r->val));
  for (PetscInt c = 0; c < r->n; c++) {
    PetscInt idx[SWEEP_MAX_KEYS];
    json_t  *sum, *st;
    CaseOf(sw, c, idx, id, hash);
    PetscCall(PetscSNPrintf(file, sizeof(file), "%s/cases/%s/status.json", dir, id));
    st = r->st[c] = json_load_file(file, 0, NULL);
    /* a status of an older version of the case (another hash) is not this case's */
    if (st && !(json_is_string(json_object_get(st, "hash")) && !strcmp(json_string_value(json_object_get(st, "hash")), hash))) {
      json_decref(st);
      st = r->st[c] = NULL;
    }
    r->status[c] = st && json_is_string(json_object_get(st, "status")) ? json_string_value(json_object_get(st, "status")) : "not run";
    r->error[c]  = st && json_is_string(json_object_get(st, "error")) ? json_string_value(json_object_get(st, "error")) : "";
    if (!strcmp(r->status[c], "ok")) (*nok)++;
    else (*nfail)++;
    if (!st || strcmp(r->status[c], "ok")) continue;
    PetscCall(PetscSNPrintf(file, sizeof(file), "%s/cases/%s/summary.json", dir, id));
    if (!(sum = json_load_file(file, 0, NULL))) continue;
    for (PetscInt k = 0; k < r->ncol; k++)
      if ((r->val[c * r->ncol + k] = HavocJsonPath(sum, sw->col[k]))) json_incref(r->val[c * r->ncol + k]);
    json_decref(sum);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode RowsDestroy(Rows *r)
{
  PetscFunctionBeginUser;
  for (PetscInt c = 0; c < r->n; c++) {
    if (r->st[c]) json_decref(r->st[c]);
    for (PetscInt k = 0; k < r->ncol; k++)
      if (r->val[c * r->ncol + k]) json_decref(r->val[c * r->ncol + k]);
  }
  PetscCall(PetscFree4(r->status, r->error, r->st, r->val));
  PetscFunctionReturn(0);
}
static PetscErrorCode WriteCsv(const Sweep *sw, const Rows *r, const char path[])
{
  char  tmp[PETSC_MAX_PATH_LEN], id[16], hash[20];
  FILE *f;

  PetscFunctionBeginUser;
  PetscCall(HavocTempPath(PETSC_COMM_SELF, path, tmp, sizeof(tmp)));
  f = fopen(tmp, "w");
  HavocCheckUser(f, PETSC_COMM_SELF, "cannot write '%s': %s", tmp, strerror(errno));
  fprintf(f, "id,hash");
  for (PetscInt g = 0; g < sw->ngrid; g++)
    fprintf(f, ",%s", sw->grid_key[g]);
  fprintf(f, ",status,error");
  for (PetscInt k = 0; k < sw->ncol; k++)
    fprintf(f, ",%s", sw->col[k]);
  fprintf(f, "\n");
  for (PetscInt c = 0; c < r->n; c++) {
    PetscInt idx[SWEEP_MAX_KEYS];
    CaseOf(sw, c, idx, id, hash);
    fprintf(f, "%s,%s", id, hash);
    for (PetscInt g = 0; g < sw->ngrid; g++) {
      fputc(',', f);
      HavocCsvText(f, sw->grid_val[g][idx[g]]);
    }
    fprintf(f, ",%s,", r->status[c]);
    HavocCsvText(f, r->error[c]);
    for (PetscInt k = 0; k < sw->ncol; k++) {
      fputc(',', f);
      HavocCsvJson(f, r->val[c * r->ncol + k]);
    }
    fprintf(f, "\n");
  }
  if (fclose(f) || rename(tmp, path)) {
    const int err = errno;
    (void)remove(tmp);
    HavocCheckUser(0, PETSC_COMM_SELF, "cannot write '%s': %s", path, strerror(err));
  }
  PetscFunctionReturn(0);
}

/* A dataset of n variable-length strings (under group g). */
static herr_t H5Strings(hid_t g, const char name[], PetscInt n, const char *v[])
{
  hsize_t dim  = (hsize_t)n;
  hid_t   type = H5Tcopy(H5T_C_S1), space = H5Screate_simple(1, &dim, NULL), d;
  herr_t  e = H5Tset_size(type, H5T_VARIABLE);
  d         = H5Dcreate2(g, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (d < 0 || e < 0 || (n && H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0)) e = -1;
  if (d >= 0) H5Dclose(d);
  H5Sclose(space);
  H5Tclose(type);
  return e;
}

/* DIR/results.h5: /id, /hash, /status, /error; /params/<option> (the values as written, strings);
   /columns/<path>: numbers (a column whose values are all numbers or booleans, NaN where a case has
   none) or strings (JSON text). One row per case in grid order, as results.csv. */
static PetscErrorCode WriteH5(const Sweep *sw, const Rows *r, const char path[])
{
  char         tmp[PETSC_MAX_PATH_LEN], (*ids)[16], (*hashes)[20];
  const char **sv;
  PetscReal   *num;
  char       **own;
  hid_t        f, gp, gc;
  herr_t       e = 0;

  PetscFunctionBeginUser;
  PetscCall(HavocTempPath(PETSC_COMM_SELF, path, tmp, sizeof(tmp)));
  PetscCall(PetscMalloc5(r->n + 1, &ids, r->n + 1, &hashes, r->n + 1, &sv, r->n + 1, &num, r->n + 1, &own));
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  f = H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (f < 0) {
    PetscCall(PetscFree5(ids, hashes, sv, num, own));
    HavocCheckUser(0, PETSC_COMM_SELF, "cannot write '%s'", tmp);
  }
  {
    hid_t space = H5Screate(H5S_SCALAR), type = H5Tcopy(H5T_C_S1), a;
    H5Tset_size(type, strlen(sw->name) + 1);
    a = H5Acreate2(f, "sweep", type, space, H5P_DEFAULT, H5P_DEFAULT);
    if (a < 0 || H5Awrite(a, type, sw->name) < 0) e = -1;
    if (a >= 0) H5Aclose(a);
    H5Tclose(type);
    H5Sclose(space);
  }
  for (PetscInt c = 0; c < r->n; c++) {
    PetscInt idx[SWEEP_MAX_KEYS];
    CaseOf(sw, c, idx, ids[c], hashes[c]);
  }
  for (PetscInt c = 0; c < r->n; c++)
    sv[c] = ids[c];
  if (H5Strings(f, "id", r->n, sv) < 0) e = -1;
  for (PetscInt c = 0; c < r->n; c++)
    sv[c] = hashes[c];
  if (H5Strings(f, "hash", r->n, sv) < 0) e = -1;
  if (H5Strings(f, "status", r->n, r->status) < 0) e = -1;
  if (H5Strings(f, "error", r->n, r->error) < 0) e = -1;
  gp = H5Gcreate2(f, "params", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  for (PetscInt g = 0; g < sw->ngrid; g++) {
    for (PetscInt c = 0; c < r->n; c++) {
      PetscInt idx[SWEEP_MAX_KEYS];
      char     id[16], hash[20];
      CaseOf(sw, c, idx, id, hash);
      sv[c] = sw->grid_val[g][idx[g]];
    }
    if (H5Strings(gp, sw->grid_key[g], r->n, sv) < 0) e = -1;
  }
  gc = H5Gcreate2(f, "columns", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  for (PetscInt k = 0; k < sw->ncol; k++) {
    PetscBool numeric = PETSC_TRUE;
    for (PetscInt c = 0; c < r->n; c++) {
      json_t *v = r->val[c * r->ncol + k];
      if (v && !json_is_number(v) && !json_is_boolean(v)) numeric = PETSC_FALSE;
    }
    if (numeric) {
      hsize_t dim   = (hsize_t)r->n;
      hid_t   space = H5Screate_simple(1, &dim, NULL), d;
      for (PetscInt c = 0; c < r->n; c++) {
        json_t *v = r->val[c * r->ncol + k];
        num[c]    = !v ? (PetscReal)NAN : json_is_boolean(v) ? (PetscReal)json_is_true(v)
                                                             : (PetscReal)json_number_value(v);
      }
      d = H5Dcreate2(gc, sw->col[k], H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
      if (d < 0 || (r->n && H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, num) < 0)) e = -1;
      if (d >= 0) H5Dclose(d);
      H5Sclose(space);
    } else {
      for (PetscInt c = 0; c < r->n; c++) {
        json_t *v = r->val[c * r->ncol + k];
        own[c]    = v && !json_is_string(v) ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
        sv[c]     = !v ? "" : json_is_string(v) ? json_string_value(v)
                            : own[c]            ? own[c]
                                                : "";
      }
      if (H5Strings(gc, sw->col[k], r->n, sv) < 0) e = -1;
      for (PetscInt c = 0; c < r->n; c++)
        free(own[c]);
    }
  }
  if (gp < 0 || gc < 0) e = -1;
  if (gp >= 0) H5Gclose(gp);
  if (gc >= 0) H5Gclose(gc);
  if (H5Fclose(f) < 0) e = -1;
  PetscCall(PetscFree5(ids, hashes, sv, num, own));
  if (e < 0 || rename(tmp, path)) {
    (void)remove(tmp);
    HavocCheckUser(0, PETSC_COMM_SELF, "cannot write '%s'%s", path, e < 0 ? " (HDF5)" : "");
  }
  PetscFunctionReturn(0);
}

/* results.csv and results.h5, under an exclusive lock on DIR/.tables.lock (fcntl, which works on NFS):
   array tasks that end together write one after the other, and the last sees every case. */
static PetscErrorCode WriteTables(const Sweep *sw, const char dir[], PetscInt *nok, PetscInt *nfail)
{
  char         path[PETSC_MAX_PATH_LEN + 16];
  Rows         r;
  int          fd;
  struct flock lk;

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/.tables.lock", dir));
  fd = open(path, O_RDWR | O_CREAT, 0644);
  HavocCheckUser(fd >= 0, PETSC_COMM_SELF, "cannot open the lock file '%s': %s", path, strerror(errno));
  PetscCall(PetscMemzero(&lk, sizeof(lk)));
  lk.l_type   = F_WRLCK;
  lk.l_whence = SEEK_SET;
  while (fcntl(fd, F_SETLKW, &lk) && errno == EINTR) {}
  PetscCall(PetscMemzero(&r, sizeof(r)));
  PetscCall(RowsRead(sw, dir, &r, nok, nfail));
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/results.csv", dir));
  PetscCall(WriteCsv(sw, &r, path));
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/results.h5", dir));
  PetscCall(WriteH5(sw, &r, path));
  PetscCall(RowsDestroy(&r));
  close(fd); /* releases the lock */
  PetscFunctionReturn(0);
}

/* --slurm FILE: a job array, one task per chunk of cases, each running this sweep's chunk with its
   resume semantics; DIR/slurm/ holds the tasks' output. */
static PetscErrorCode WriteSlurm(MPI_Comm comm, const Sweep *sw, const char dir[], const char file[], PetscInt gsize, PetscInt chunks, PetscInt ranks, const char time[], const char partition[], const char launcher[])
{
  char        exe[PETSC_MAX_PATH_LEN] = "havoc", cwd[PETSC_MAX_PATH_LEN], sweep[PETSC_MAX_PATH_LEN], out[PETSC_MAX_PATH_LEN], logs[PETSC_MAX_PATH_LEN + 8];
  char       *text;
  size_t      len = 16384;
  ssize_t     n;
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  HavocCheckUser(ranks % gsize == 0, comm, "option -sweep_slurm_ranks: %" PetscInt_FMT " is not a multiple of -sweep_group_size %" PetscInt_FMT, ranks, gsize);
  HavocCheckUser(getcwd(cwd, sizeof(cwd)), comm, "cannot read the working directory: %s", strerror(errno));
  HavocCheckUser(realpath(sw->path, sweep), comm, "cannot resolve '%s': %s", sw->path, strerror(errno));
  if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) exe[n] = 0;
  if (!rank) {
    PetscCall(PetscMkdir(dir));
    PetscCall(PetscSNPrintf(logs, sizeof(logs), "%s/slurm", dir));
    PetscCall(PetscMkdir(logs));
  }
  HavocCheckUser(realpath(dir, out), comm, "cannot resolve '%s': %s", dir, strerror(errno));
  PetscCall(PetscMalloc1(len, &text));
  PetscCall(PetscSNPrintf(text, len,
                          "#!/bin/bash\n"
                          "# havoc sweep %s: %" PetscInt_FMT " cases in %" PetscInt_FMT " chunks, one Slurm array task per chunk\n"
                          "# (written by havoc sweep --slurm; docs/sweeps.md). Submit with:  sbatch %s\n"
                          "# Each task runs its chunk on %" PetscInt_FMT " rank%s in groups of %" PetscInt_FMT " and skips the cases already done, so\n"
                          "# the same command resubmits what a time limit or a node failure left undone. Every task writes\n"
                          "# %s/results.csv and results.h5 when it ends (under a lock; the last sees every case).\n"
                          "#SBATCH --job-name=havoc-%s\n"
                          "#SBATCH --array=0-%" PetscInt_FMT "\n"
                          "#SBATCH --ntasks=%" PetscInt_FMT "\n"
                          "#SBATCH --output=%s/slurm/%%A_%%a.out\n"
                          "%s%s%s"
                          "%s%s%s"
                          "set -eu\n"
                          "cd '%s'\n"
                          "exec %s%s'%s' sweep '%s' -o '%s' -sweep_chunk \"$SLURM_ARRAY_TASK_ID\" -sweep_chunks %" PetscInt_FMT " -sweep_group_size %" PetscInt_FMT "\n",
                          sw->name, sw->ncases, chunks, file, ranks, ranks == 1 ? "" : "s", gsize, out, sw->name, chunks - 1, ranks, out, time[0] ? "#SBATCH --time=" : "", time, time[0] ? "\n" : "", partition[0] ? "#SBATCH --partition=" : "", partition, partition[0] ? "\n" : "", cwd, launcher, launcher[0] ? " " : "", exe, sweep, out, chunks, gsize));
  PetscCall(HavocWriteTextFile(comm, file, "Slurm script", text));
  PetscCall(PetscFree(text));
  if (!rank) (void)chmod(file, 0755);
  PetscCall(PetscPrintf(comm, "havoc: sweep %s: %" PetscInt_FMT " cases in %" PetscInt_FMT " array tasks of %" PetscInt_FMT " rank%s: submit with  sbatch %s  (results in %s/)\n", sw->name, sw->ncases, chunks, ranks, ranks == 1 ? "" : "s", file, out));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCmdSweep(MPI_Comm comm, const HavocArgs *args)
{
  Sweep       sw;
  char        dir[PETSC_MAX_PATH_LEN] = "", id[16], hash[20], time[64] = "", partition[64] = "", launcher[256] = "srun";
  PetscBool   stopped = PETSC_FALSE;
  PetscInt    gsize = 1, ran = 0, nok = 0, nfail = 0, idx[SWEEP_MAX_KEYS], chunk = 0, chunks = 1, lo, hi, slurm_chunks = 0, slurm_ranks = 0;
  PetscBool   help, list = PETSC_FALSE, collect = PETSC_FALSE, set_chunk;
  const char *out = HavocArgsFlag(args, "-o"), *slurm = HavocArgsFlag(args, "--slurm");
  PetscMPIInt rank, size, grank;
  MPI_Comm    gcomm;
  MPI_Win     win;
  int        *counter;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscOptionsHasHelp(NULL, &help));
  PetscOptionsBegin(comm, "sweep_", "havoc sweep: a grid of cases run as an ensemble (docs/sweeps.md)", NULL);
  PetscCall(HavocOptionsIntRange("-group_size", "ranks per case (the world's ranks are split into groups of this size)", gsize, &gsize, NULL, 1, help ? PETSC_MAX_INT : size));
  PetscCall(PetscOptionsBool("-list", "list the cases (id, hash, values) and stop", NULL, list, &list, NULL));
  PetscCall(PetscOptionsBool("-collect", "only write the tables (results.csv, results.h5) from the cases' files; run nothing", NULL, collect, &collect, NULL));
  PetscCall(HavocOptionsIntRange("-chunks", "split the cases into this many contiguous chunks (Slurm array tasks)", chunks, &chunks, NULL, 1, 1000000));
  PetscCall(HavocOptionsIntRange("-chunk", "run only this chunk, from 0 (with -sweep_chunks)", chunk, &chunk, &set_chunk, 0, 1000000));
  PetscCall(HavocOptionsIntRange("-slurm_chunks", "with --slurm FILE: array tasks (default: one per case, at most 1000)", slurm_chunks, &slurm_chunks, NULL, 0, 1000000));
  PetscCall(HavocOptionsIntRange("-slurm_ranks", "with --slurm FILE: MPI ranks of each array task (default: -sweep_group_size)", slurm_ranks, &slurm_ranks, NULL, 0, 1000000));
  PetscCall(PetscOptionsString("-slurm_time", "with --slurm FILE: each task's time limit, in Slurm's format (e.g. 2:00:00)", NULL, time, time, sizeof(time), NULL));
  PetscCall(PetscOptionsString("-slurm_partition", "with --slurm FILE: the partition", NULL, partition, partition, sizeof(partition), NULL));
  PetscCall(PetscOptionsString("-slurm_launcher", "with --slurm FILE: the command that starts the ranks (empty: none, for one rank)", NULL, launcher, launcher, sizeof(launcher), NULL));
  PetscOptionsEnd();
  if (help) PetscFunctionReturn(0);
  HavocCheckUser(args->npos == 1, comm, "usage: havoc sweep SWEEP.yaml [-o DIR] [--slurm FILE] [-sweep_group_size N] [-sweep_list]; havoc sweep -help lists the options");
  HavocCheckUser(size % gsize == 0, comm, "option -sweep_group_size: %" PetscInt_FMT " does not divide the %d ranks", gsize, (int)size);
  HavocCheckUser(chunk < chunks, comm, "option -sweep_chunk: %" PetscInt_FMT " is not below -sweep_chunks %" PetscInt_FMT " (chunks count from 0)", chunk, chunks);
  HavocCheckUser(!set_chunk || chunks > 1 || chunk == 0, comm, "option -sweep_chunk needs -sweep_chunks N");
  for (size_t k = 0; k < sizeof(time) && time[k]; k++)
    HavocCheckUser(strchr("0123456789:-", time[k]), comm, "option -sweep_slurm_time: expected Slurm's [days-]hours:minutes:seconds, got '%s'", time);
  HavocCheckUser(!strpbrk(partition, " '\"\n$`"), comm, "option -sweep_slurm_partition: '%s' is not a partition name", partition);
  HavocCheckUser(!strpbrk(launcher, "'\n"), comm, "option -sweep_slurm_launcher: no quotes or newlines, got '%s'", launcher);
  PetscCall(HavocOptionsCheckUnused(comm));
  PetscCall(SweepRead(comm, args->pos[0], &sw));
  if (out) PetscCall(PetscStrncpy(dir, out, sizeof(dir)));
  else PetscCall(PetscSNPrintf(dir, sizeof(dir), "results/%s", sw.name));
  HavocCheckUser(!strchr(dir, '\''), comm, "-o: no quotes in the output directory, got '%s'", dir);
  if (slurm) {
    if (!slurm_chunks) slurm_chunks = PetscMin(sw.ncases, 1000);
    HavocCheckUser(slurm_chunks <= sw.ncases, comm, "option -sweep_slurm_chunks: %" PetscInt_FMT " tasks for %" PetscInt_FMT " cases", slurm_chunks, sw.ncases);
    PetscCall(WriteSlurm(comm, &sw, dir, slurm, gsize, slurm_chunks, slurm_ranks ? slurm_ranks : gsize, time, partition, launcher));
  }
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
  }
  if (slurm || list) {
    for (PetscInt g = 0; g < sw.ngrid; g++)
      PetscCall(PetscFree(sw.grid_val[g]));
    PetscFunctionReturn(0);
  }
  lo = (PetscInt)((long long)chunk * sw.ncases / chunks);
  hi = (PetscInt)((long long)(chunk + 1) * sw.ncases / chunks);
  if (!rank) {
    char cases[PETSC_MAX_PATH_LEN + 8];
    PetscCall(PetscMkdir(dir));
    PetscCall(PetscSNPrintf(cases, sizeof(cases), "%s/cases", dir));
    PetscCall(PetscMkdir(cases));
  }
  PetscCallMPI(MPI_Barrier(comm));
  if (!collect) {
    if (chunks > 1) PetscCall(PetscPrintf(comm, "havoc: sweep %s: chunk %" PetscInt_FMT " of %" PetscInt_FMT ": cases %" PetscInt_FMT " to %" PetscInt_FMT " of %" PetscInt_FMT " of %s, %d group%s of %" PetscInt_FMT " rank%s, results in %s/\n", sw.name, chunk, chunks, lo + 1, hi, sw.ncases, sw.casefile, (int)(size / gsize), size / gsize == 1 ? "" : "s", gsize, gsize == 1 ? "" : "s", dir));
    else PetscCall(PetscPrintf(comm, "havoc: sweep %s: %" PetscInt_FMT " cases of %s, %d group%s of %" PetscInt_FMT " rank%s, results in %s/\n", sw.name, sw.ncases, sw.casefile, (int)(size / gsize), size / gsize == 1 ? "" : "s", gsize, gsize == 1 ? "" : "s", dir));
    PetscCallMPI(MPI_Comm_split(comm, (PetscMPIInt)(rank / gsize), rank, &gcomm));
    PetscCallMPI(MPI_Comm_rank(gcomm, &grank));
    PetscCallMPI(MPI_Win_allocate(rank ? 0 : (MPI_Aint)sizeof(int), sizeof(int), MPI_INFO_NULL, comm, &counter, &win));
    if (!rank) *counter = (int)lo;
    PetscCallMPI(MPI_Barrier(comm));
    /* SIGTERM or SIGINT (a time limit): the case running stops with a checkpoint, no other one starts */
    PetscCall(HavocSignalsPush());
    for (;;) {
      int       next = 0, one = 1, sig;
      PetscBool did = PETSC_FALSE, ok = PETSC_TRUE;
      PetscCall(HavocSignalAgree(gcomm, &sig));
      if (sig) {
        stopped = PETSC_TRUE;
        break;
      }
      if (!grank) {
        PetscCallMPI(MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, win));
        PetscCallMPI(MPI_Fetch_and_op(&one, &next, MPI_INT, 0, 0, MPI_SUM, win));
        PetscCallMPI(MPI_Win_unlock(0, win));
      }
      PetscCallMPI(MPI_Bcast(&next, 1, MPI_INT, 0, gcomm));
      if (next >= hi) break;
      PetscCall(RunCase(gcomm, &sw, dir, next, &did, &ok, &stopped));
      if (!grank && did) {
        CaseOf(&sw, next, idx, id, hash);
        printf("havoc: sweep: case %d of %d (%s) %s%s\n", next + 1, (int)sw.ncases, id, ok ? "done" : stopped ? "interrupted: "
                                                                                                              : "failed: ",
               ok ? "" : HavocLastError());
        fflush(stdout);
        ran++;
      }
      if (stopped) break;
    }
    PetscCall(HavocSignalsPop());
    PetscCallMPI(MPI_Barrier(comm));
    PetscCallMPI(MPI_Win_free(&win));
    PetscCallMPI(MPI_Comm_free(&gcomm));
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &ran, 1, MPIU_INT, MPI_SUM, comm));
  }
  if (!rank) {
    PetscCall(WriteTables(&sw, dir, &nok, &nfail));
    if (collect) printf("havoc: sweep %s: %" PetscInt_FMT " cases: %" PetscInt_FMT " ok, %" PetscInt_FMT " failed or not run; tables in %s/results.csv and results.h5\n", sw.name, sw.ncases, nok, nfail, dir);
    else printf("havoc: sweep %s: %" PetscInt_FMT " cases%s, %" PetscInt_FMT " run now, %" PetscInt_FMT " skipped (done before); %" PetscInt_FMT " ok, %" PetscInt_FMT " failed or not run; tables in %s/results.csv and results.h5\n", sw.name, sw.ncases, chunks > 1 ? " (this chunk's)" : "", ran, hi - lo - ran, nok, nfail, dir);
    fflush(stdout);
  }
  for (PetscInt g = 0; g < sw.ngrid; g++)
    PetscCall(PetscFree(sw.grid_val[g]));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &stopped, 1, MPIU_BOOL, MPI_LOR, comm));
  PetscCheck(!stopped, comm, HAVOC_ERR_INTERRUPTED, "sweep %s: interrupted by a signal; run the same command again to continue (the interrupted cases from their checkpoints)", sw.name);
  PetscFunctionReturn(0);
}
