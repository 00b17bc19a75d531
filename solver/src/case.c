/* Case files: YAML flattened into the PETSc options database, with the origin of every option. */
#include "case.h"
#include "yamlio.h"
#include "options.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

typedef struct {
  char name[256];
  char origin[PETSC_MAX_PATH_LEN + 32];
} Origin;

static Origin  *origins;
static PetscInt norigins, corigins;

static PetscErrorCode CaseFinalize(void)
{
  PetscFunctionBeginUser;
  PetscCall(PetscFree(origins));
  norigins = corigins = 0;
  PetscFunctionReturn(0);
}

static PetscErrorCode OriginAdd(const char name[], const char label[], long line)
{
  PetscFunctionBeginUser;
  if (norigins == corigins) {
    Origin *o;
    if (!corigins) PetscCall(PetscRegisterFinalize(CaseFinalize));
    corigins = corigins ? 2 * corigins : 64;
    PetscCall(PetscMalloc1(corigins, &o));
    if (norigins) PetscCall(PetscArraycpy(o, origins, norigins));
    PetscCall(PetscFree(origins));
    origins = o;
  }
  PetscCall(PetscStrncpy(origins[norigins].name, name, sizeof(origins[norigins].name)));
  PetscCall(PetscSNPrintf(origins[norigins].origin, sizeof(origins[norigins].origin), "%s:%ld", label, line));
  norigins++;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCaseClear(void)
{
  char opt[300];

  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < norigins; i++) {
    PetscCall(PetscSNPrintf(opt, sizeof(opt), "-%s", origins[i].name));
    PetscCall(PetscOptionsClearValue(NULL, opt));
  }
  norigins = 0;
  PetscFunctionReturn(0);
}

const char *HavocCaseOrigin(const char option[])
{
  const char *o = option[0] == '-' ? option + 1 : option;
  for (PetscInt i = norigins - 1; i >= 0; i--)
    if (!strcmp(origins[i].name, o)) return origins[i].origin;
  return NULL;
}

static PetscBool IsPathKey(const char key[])
{
  const char *names[] = {"mesh", "table", "file", "dir"};
  size_t      n       = strlen(key);

  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    size_t m = strlen(names[i]);
    if (!strcmp(key, names[i])) return PETSC_TRUE;
    if (n > m && key[n - m - 1] == '_' && !strcmp(key + n - m, names[i])) return PETSC_TRUE;
  }
  return PETSC_FALSE;
}

/* PETSc 3.18 holds at most 512 options in all, the command line's included; the bound also stops
   anchors and aliases that expand to more keys than the file has bytes (each use counts). */
#define CASE_MAX_KEYS 256

typedef struct {
  MPI_Comm         comm;
  const char      *label;
  char             dir[PETSC_MAX_PATH_LEN];
  yaml_document_t *doc;
  PetscInt         nkeys; /* keys met so far, in nested mappings too */
} Ctx;

static PetscErrorCode SetOption(Ctx *c, const char name[], const char key[], const char value[], long line)
{
  char      opt[300], resolved[2 * PETSC_MAX_PATH_LEN];
  PetscBool has;

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(opt, sizeof(opt), "-%s", name));
  PetscCall(PetscOptionsHasName(NULL, NULL, opt, &has));
  if (has && HavocCaseOrigin(name)) SETERRQ(c->comm, PETSC_ERR_USER_INPUT, "%s:%ld: option %s is set twice (also at %s)", c->label, line, opt, HavocCaseOrigin(name));
  if (has) PetscFunctionReturn(0); /* the command line wins */
  if (value[0] && value[0] != '/' && IsPathKey(key) && strcmp(c->dir, ".")) {
    PetscCall(PetscSNPrintf(resolved, sizeof(resolved), "%s/%s", c->dir, value));
    value = resolved;
  }
  PetscCall(PetscOptionsSetValue(NULL, opt, value[0] ? value : NULL));
  PetscCall(OriginAdd(name, c->label, line));
  PetscFunctionReturn(0);
}

static PetscErrorCode Flatten(Ctx *c, yaml_node_t *node, const char prefix[])
{
  PetscFunctionBeginUser;
  HavocCheckUser(node->type == YAML_MAPPING_NODE, c->comm, "%s:%ld: expected a mapping of options (key: value)", c->label, (long)node->start_mark.line + 1);
  for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top; p++) {
    yaml_node_t *k = yaml_document_get_node(c->doc, p->key), *v = yaml_document_get_node(c->doc, p->value);
    const long   line = (long)k->start_mark.line + 1;
    char         name[256], value[4096] = "";
    HavocCheckUser(k->type == YAML_SCALAR_NODE && k->data.scalar.length > 0, c->comm, "%s:%ld: a key must be a plain name", c->label, line);
    HavocCheckUser(++c->nkeys <= CASE_MAX_KEYS, c->comm, "%s:%ld: more than %d keys; a case file has at most %d (an alias counts each time it is used)", c->label, line, CASE_MAX_KEYS, CASE_MAX_KEYS);
    /* also ends the recursion of a mapping that contains itself through an alias */
    HavocCheckUser(strlen(prefix) + k->data.scalar.length < sizeof(name), c->comm, "%s:%ld: option name %s%.32s... is longer than %d characters", c->label, line, prefix, (const char *)k->data.scalar.value, (int)sizeof(name) - 1);
    PetscCall(PetscSNPrintf(name, sizeof(name), "%s%s", prefix, (const char *)k->data.scalar.value));
    for (char *s = name; *s; s++)
      HavocCheckUser((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_', c->comm, "%s:%ld: '%s' is not an option name (letters, digits and '_')", c->label, line, (const char *)k->data.scalar.value);
    for (yaml_node_pair_t *q = node->data.mapping.pairs.start; q < p; q++) {
      yaml_node_t *k2 = yaml_document_get_node(c->doc, q->key);
      HavocCheckUser(strcmp((const char *)k2->data.scalar.value, (const char *)k->data.scalar.value), c->comm, "%s:%ld: key '%s' appears twice (first at line %ld)", c->label, line, (const char *)k->data.scalar.value, (long)k2->start_mark.line + 1);
    }
    switch (v->type) {
    case YAML_MAPPING_NODE: {
      char sub[260];
      PetscCall(PetscSNPrintf(sub, sizeof(sub), "%s_", name));
      PetscCall(Flatten(c, v, sub));
    } break;
    case YAML_SEQUENCE_NODE:
      for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        yaml_node_t *e = yaml_document_get_node(c->doc, *it);
        HavocCheckUser(e->type == YAML_SCALAR_NODE, c->comm, "%s:%ld: option %s: a list may hold only plain values", c->label, (long)e->start_mark.line + 1, name);
        /* checked here: PETSc 3.18's PetscStrlcat bounds the copy by the length of what it appends, not by
           the room left, and writes past a full buffer */
        HavocCheckUser(strlen(value) + 1 + e->data.scalar.length < sizeof(value), c->comm, "%s:%ld: option %s: the list is longer than %d characters", c->label, (long)e->start_mark.line + 1, name, (int)sizeof(value) - 1);
        if (it > v->data.sequence.items.start) PetscCall(HavocStrlcat(value, ",", sizeof(value)));
        PetscCall(HavocStrlcat(value, (const char *)e->data.scalar.value, sizeof(value)));
      }
      PetscCall(SetOption(c, name, (const char *)k->data.scalar.value, value, line));
      break;
    case YAML_SCALAR_NODE: {
      const char *s = (const char *)v->data.scalar.value;
      /* "key:" and "key: null" are flags */
      if (v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && (!strcmp(s, "~") || !strcmp(s, "null"))) s = "";
      PetscCall(SetOption(c, name, (const char *)k->data.scalar.value, s, line));
    } break;
    default:
      SETERRQ(c->comm, PETSC_ERR_USER_INPUT, "%s:%ld: unsupported YAML value for %s", c->label, line, name);
    }
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode CaseParse(MPI_Comm comm, const char label[], const char text[], const char dir[])
{
  yaml_document_t doc;
  yaml_node_t    *root;
  Ctx             c;
  PetscErrorCode  ierr;
  long            line;
  char            problem[256];
  int             rc;

  PetscFunctionBeginUser;
  c.comm  = comm;
  c.label = label;
  c.doc   = &doc;
  c.nkeys = 0;
  PetscCall(PetscStrncpy(c.dir, dir, sizeof(c.dir)));
  /* a second document would be silently ignored: its options never set, never reported */
  rc = HavocYamlLoad(text, strlen(text), &doc, &line, problem, sizeof(problem));
  HavocCheckUser(rc != HAVOC_YAML_SYNTAX, comm, "%s:%ld: YAML syntax error: %s", label, line, problem);
  HavocCheckUser(rc != HAVOC_YAML_SECOND, comm, "%s:%ld: a second YAML document; a case file holds one mapping of options", label, line);
  root = yaml_document_get_root_node(&doc);
  ierr = root ? Flatten(&c, root, "") : 0;
  yaml_document_delete(&doc);
  PetscCall(ierr);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCaseLoadString(MPI_Comm comm, const char label[], const char text[])
{
  PetscFunctionBeginUser;
  PetscCall(CaseParse(comm, label, text, "."));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCaseLoad(MPI_Comm comm, const char path[])
{
  PetscMPIInt    rank;
  PetscErrorCode ierr;
  long           len = -1;
  char          *text, dir[PETSC_MAX_PATH_LEN], err[256] = "";

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!rank) {
    struct stat st;
    if (stat(path, &st)) PetscCall(PetscSNPrintf(err, sizeof(err), "%s", strerror(errno)));
    else if (S_ISDIR(st.st_mode)) PetscCall(PetscSNPrintf(err, sizeof(err), "%s", strerror(EISDIR)));
    else len = (long)st.st_size;
  }
  PetscCallMPI(MPI_Bcast(&len, 1, MPI_LONG, 0, comm));
  PetscCallMPI(MPI_Bcast(err, sizeof(err), MPI_CHAR, 0, comm));
  PetscCheck(len >= 0, comm, PETSC_ERR_FILE_OPEN, "cannot open case file '%s': %s", path, err);
  PetscCall(PetscMalloc1(len + 1, &text));
  if (!rank) {
    FILE  *f = fopen(path, "rb");
    size_t n = f ? fread(text, 1, (size_t)len, f) : 0;
    if (f) fclose(f);
    if ((long)n != len) len = -1;
  }
  PetscCallMPI(MPI_Bcast(&len, 1, MPI_LONG, 0, comm));
  if (len < 0) PetscCall(PetscFree(text));
  PetscCheck(len >= 0, comm, PETSC_ERR_FILE_READ, "cannot read case file '%s'", path);
  PetscCallMPI(MPI_Bcast(text, (PetscMPIInt)len, MPI_CHAR, 0, comm));
  text[len] = 0;
  {
    char copy[PETSC_MAX_PATH_LEN];
    PetscCall(PetscStrncpy(copy, path, sizeof(copy)));
    PetscCall(PetscStrncpy(dir, dirname(copy), sizeof(dir)));
  }
  ierr = CaseParse(comm, path, text, dir);
  PetscCall(PetscFree(text)); /* whether it parses or not: a sweep loads many cases in one process */
  if (ierr) return ierr;
  PetscFunctionReturn(0);
}

PetscBool HavocOptionPetscOwned(const char name[])
{
  const char *prefixes[] = {"log", "malloc", "memory_view", "options_", "objects_dump", "on_error", "info", "no_signal_handler", "fp_trap", "help", "history", "check_pointer_intensity", "viewer_", "saws", "use_gpu_aware_mpi", "mpi_linear_solver_server", "device_", "root_device_context", "petsc_ci", "skip_petscrc", "FPTrap", "petscpartitioner_"};

  for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
    if (!strncmp(name, prefixes[i], strlen(prefixes[i]))) return PETSC_TRUE;
  return PETSC_FALSE;
}

PetscErrorCode HavocOptionsCheckUnused(MPI_Comm comm)
{
  PetscInt n;
  char   **names, **values, first[300] = "", where[PETSC_MAX_PATH_LEN + 64] = "";

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsLeftGet(NULL, &n, &names, &values));
  for (PetscInt i = 0; i < n && !first[0]; i++) {
    const char *o;
    if (HavocOptionPetscOwned(names[i])) continue;
    PetscCall(PetscSNPrintf(first, sizeof(first), "-%s", names[i]));
    o = HavocCaseOrigin(names[i]);
    PetscCall(PetscSNPrintf(where, sizeof(where), o ? "%s: " : "", o));
  }
  PetscCall(PetscOptionsLeftRestore(NULL, &n, &names, &values));
  HavocCheckUser(!first[0], comm, "%sunknown option %s (no part of havoc uses it; see 'havoc run -help' for the options and their units)", where, first);
  PetscFunctionReturn(0);
}
