/* Checkpoints on disk and the signals that ask for one (checkpoint.h). */
#include "checkpoint.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC    "HAVOCCK1"
#define NAME_LEN 32

struct _p_HavocCheckpoint {
  MPI_Comm comm;
  char     dir[PETSC_MAX_PATH_LEN];  /* the output directory */
  char     path[PETSC_MAX_PATH_LEN]; /* DIR/checkpoint-N */
  char     file[PETSC_MAX_PATH_LEN]; /* this rank's file */
  FILE    *f;
  PetscInt seq;
  int      err; /* errno of the first failed write */
};

/* The number N of the checkpoint DIR/checkpoint points to (0: none). */
static PetscInt Current(const char dir[])
{
  char link[PETSC_MAX_PATH_LEN], target[PETSC_MAX_PATH_LEN];
  long n = 0;

  snprintf(link, sizeof(link), "%s/checkpoint", dir);
  ssize_t len = readlink(link, target, sizeof(target) - 1);
  if (len <= 0) return 0;
  target[len] = 0;
  if (sscanf(target, "checkpoint-%ld", &n) != 1) return 0;
  return (PetscInt)n;
}

/* Removes a directory of plain files (a checkpoint). */
static void RemoveDir(const char path[])
{
  DIR           *d = opendir(path);
  struct dirent *e;
  char           f[2 * PETSC_MAX_PATH_LEN];

  if (!d) return;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
      snprintf(f, sizeof(f), "%s/%s", path, e->d_name);
      (void)unlink(f);
    }
  closedir(d);
  (void)rmdir(path);
}

/* Every checkpoint-N in dir but keep (0: remove them all). */
static void RemoveOthers(const char dir[], PetscInt keep)
{
  DIR           *d = opendir(dir);
  struct dirent *e;
  char           f[2 * PETSC_MAX_PATH_LEN];
  long           n;

  if (!d) return;
  while ((e = readdir(d))) {
    char rest;
    if (sscanf(e->d_name, "checkpoint-%ld%c", &n, &rest) != 1 || n == keep) continue;
    snprintf(f, sizeof(f), "%s/%s", dir, e->d_name);
    RemoveDir(f);
  }
  closedir(d);
}

PetscErrorCode HavocCheckpointBegin(MPI_Comm comm, const char dir[], HavocCheckpoint *out)
{
  HavocCheckpoint ck;
  PetscMPIInt     rank;
  int             err = 0;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(PetscNew(&ck));
  ck->comm = comm;
  PetscCall(PetscStrncpy(ck->dir, dir, sizeof(ck->dir)));
  if (!rank) {
    ck->seq = Current(dir) + 1;
    /* what a run killed while writing one left behind */
    RemoveOthers(dir, ck->seq - 1);
    snprintf(ck->path, sizeof(ck->path), "%s/checkpoint-%" PetscInt_FMT, dir, ck->seq);
    if (mkdir(ck->path, 0777)) err = errno;
  }
  PetscCallMPI(MPI_Bcast(&ck->seq, 1, MPIU_INT, 0, comm));
  PetscCallMPI(MPI_Bcast(&err, 1, MPI_INT, 0, comm));
  PetscCall(PetscSNPrintf(ck->path, sizeof(ck->path), "%s/checkpoint-%" PetscInt_FMT, dir, ck->seq));
  if (err) {
    PetscCall(PetscFree(ck));
    SETERRQ(comm, PETSC_ERR_FILE_WRITE, "cannot create the checkpoint directory %s/checkpoint-N: %s", dir, strerror(err));
  }
  PetscCall(PetscSNPrintf(ck->file, sizeof(ck->file), "%s/rank-%d.bin", ck->path, rank));
  ck->f = fopen(ck->file, "wb");
  if (!ck->f || fwrite(MAGIC, 1, 8, ck->f) != 8) ck->err = errno ? errno : EIO;
  *out = ck;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCheckpointWrite(HavocCheckpoint ck, const char name[], const void *data, size_t bytes)
{
  char     rec[NAME_LEN] = {0};
  uint64_t n             = bytes;

  PetscFunctionBeginUser;
  if (ck->err) PetscFunctionReturn(0); /* reported by Commit, collectively */
  PetscCheck(strlen(name) < NAME_LEN, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "checkpoint record name too long: %s", name);
  memcpy(rec, name, strlen(name));
  if (fwrite(rec, 1, NAME_LEN, ck->f) != NAME_LEN || fwrite(&n, sizeof(n), 1, ck->f) != 1 || (bytes && fwrite(data, 1, bytes, ck->f) != bytes)) ck->err = errno ? errno : EIO;
  PetscFunctionReturn(0);
}

/* Copies src to dst, synced to disk; 0 or the errno of the failure. */
static int CopyFile(const char src[], const char dst[])
{
  static char buf[1 << 16];
  FILE       *in, *out;
  size_t      n;
  int         err = 0;

  errno = 0;
  in    = fopen(src, "rb");
  out   = in ? fopen(dst, "wb") : NULL;
  if (!in || !out) err = errno ? errno : EIO;
  while (!err && (n = fread(buf, 1, sizeof(buf), in)) > 0)
    if (fwrite(buf, 1, n, out) != n) err = errno ? errno : EIO;
  if (in && ferror(in)) err = EIO;
  if (out && (fflush(out) || fsync(fileno(out))) && !err) err = errno;
  if (in) fclose(in);
  if (out && fclose(out) && !err) err = errno;
  return err;
}

PetscErrorCode HavocCheckpointCopyFile(HavocCheckpoint ck, const char src[], const char name[])
{
  char dst[2 * PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  if (ck->err) PetscFunctionReturn(0);
  snprintf(dst, sizeof(dst), "%s/%s", ck->path, name);
  ck->err = CopyFile(src, dst);
  PetscFunctionReturn(0);
}

/* Appends this rank's records of the current checkpoint, up to the first named mark, to ck's file; 0 or
   the errno of the failure. */
static int CopyRecords(HavocCheckpoint ck, const char src[], const char mark[])
{
  FILE    *in = fopen(src, "rb");
  char     magic[8], rec[NAME_LEN + 1] = {0};
  uint64_t n;
  char    *buf = NULL;
  int      err = 0;

  errno = 0;
  if (!in) return errno ? errno : EIO;
  if (fread(magic, 1, 8, in) != 8 || memcmp(magic, MAGIC, 8)) err = EINVAL;
  while (!err && fread(rec, 1, NAME_LEN, in) == NAME_LEN) {
    char *grown;
    if (fread(&n, sizeof(n), 1, in) != 1 || !strcmp(rec, mark)) break;
    if (!(grown = realloc(buf, n + 1))) err = ENOMEM;
    else if (buf = grown, fread(buf, 1, n, in) != n) err = EIO;
    else if (fwrite(rec, 1, NAME_LEN, ck->f) != NAME_LEN || fwrite(&n, sizeof(n), 1, ck->f) != 1 || (n && fwrite(buf, 1, n, ck->f) != n)) err = errno ? errno : EIO;
  }
  free(buf);
  fclose(in);
  return err;
}

PetscErrorCode HavocCheckpointExtend(MPI_Comm comm, const char dir[], const char mark[], HavocCheckpoint *out)
{
  HavocCheckpoint ck;
  PetscMPIInt     rank;
  char            src[2 * PETSC_MAX_PATH_LEN], dst[2 * PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(HavocCheckpointBegin(comm, dir, &ck));
  snprintf(src, sizeof(src), "%s/checkpoint/rank-%d.bin", dir, rank);
  if (!ck->err) ck->err = CopyRecords(ck, src, mark);
  PetscCall(HavocCheckpointWrite(ck, mark, NULL, 0));
  if (!rank && !ck->err) {
    /* a checkpoint's files never change once it is complete: a second name is enough */
    snprintf(src, sizeof(src), "%s/checkpoint/result.h5", dir);
    snprintf(dst, sizeof(dst), "%s/result.h5", ck->path);
    if (link(src, dst)) ck->err = CopyFile(src, dst);
  }
  *out = ck;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCheckpointCopyOut(MPI_Comm comm, const char dir[], const char name[], const char dst[])
{
  PetscMPIInt rank;
  int         err = 0;
  char        src[2 * PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  snprintf(src, sizeof(src), "%s/checkpoint/%s", dir, name);
  if (!rank) err = CopyFile(src, dst);
  PetscCallMPI(MPI_Bcast(&err, 1, MPI_INT, 0, comm));
  PetscCheck(!err, comm, PETSC_ERR_FILE_READ, "cannot copy %s to %s: %s", src, dst, strerror(err));
  PetscFunctionReturn(0);
}

static json_t *InfoToJson(const HavocCheckpointInfo *in)
{
  json_t *j = json_object();
  json_object_set_new(j, "format", json_string("havoc-checkpoint"));
  json_object_set_new(j, "format_version", json_integer(1));
  json_object_set_new(j, "havoc_version", json_string(HAVOC_VERSION " (" HAVOC_GITREV ")"));
  json_object_set_new(j, "phase", json_string(in->phase));
  json_object_set_new(j, "reason", json_string(in->reason));
  json_object_set_new(j, "fault", json_boolean(in->fault));
  json_object_set_new(j, "ranks", json_integer(in->ranks));
  json_object_set_new(j, "step", json_integer(in->step));
  json_object_set_new(j, "t_s", json_real(in->t));
  json_object_set_new(j, "wall_s", json_real(in->wall));
  json_object_set_new(j, "cwd", json_string(in->cwd));
  json_object_set_new(j, "case", json_string(in->case_path));
  json_object_set_new(j, "options", in->args[0] ? json_loads(in->args, 0, NULL) : json_array());
  json_object_set_new(j, "options_hash", json_string(in->options_hash));
  return j;
}

PetscErrorCode HavocCheckpointCommit(HavocCheckpoint *pck, const HavocCheckpointInfo *info)
{
  HavocCheckpoint ck = *pck;
  PetscMPIInt     rank;
  int             err;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(ck->comm, &rank));
  if (ck->f) {
    if ((fflush(ck->f) || fsync(fileno(ck->f))) && !ck->err) ck->err = errno;
    if (fclose(ck->f) && !ck->err) ck->err = errno;
    ck->f = NULL;
  }
  /* every rank's part is on disk before the checkpoint becomes current */
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &ck->err, 1, MPI_INT, MPI_MAX, ck->comm));
  if (!rank && !ck->err) {
    char    path[2 * PETSC_MAX_PATH_LEN], link[2 * PETSC_MAX_PATH_LEN], tmp[2 * PETSC_MAX_PATH_LEN], target[64];
    json_t *j = InfoToJson(info);
    snprintf(path, sizeof(path), "%s/manifest.json", ck->path);
    if (json_dump_file(j, path, JSON_INDENT(2) | JSON_REAL_PRECISION(17))) ck->err = errno ? errno : EIO;
    json_decref(j);
    /* the new checkpoint becomes current in one rename of a symbolic link */
    snprintf(link, sizeof(link), "%s/checkpoint", ck->dir);
    snprintf(tmp, sizeof(tmp), "%s/.checkpoint.tmp%d", ck->dir, (int)getpid());
    snprintf(target, sizeof(target), "checkpoint-%" PetscInt_FMT, ck->seq);
    (void)unlink(tmp);
    if (!ck->err && (symlink(target, tmp) || rename(tmp, link))) ck->err = errno;
    if (!ck->err) RemoveOthers(ck->dir, ck->seq);
  }
  err = ck->err;
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &err, 1, MPI_INT, MPI_MAX, ck->comm));
  if (err && !rank) RemoveDir(ck->path);
  PetscCheck(!err, ck->comm, PETSC_ERR_FILE_WRITE, "cannot write the checkpoint %s: %s", ck->path, strerror(err));
  PetscCall(PetscFree(*pck));
  PetscFunctionReturn(0);
}

static PetscErrorCode GetString(json_t *j, const char key[], char out[], size_t len, const char path[])
{
  json_t *v = json_object_get(j, key);

  PetscFunctionBeginUser;
  PetscCheck(json_is_string(v), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s: expected a string '%s'", path, key);
  PetscCall(PetscStrncpy(out, json_string_value(v), len));
  PetscFunctionReturn(0);
}

static PetscErrorCode InfoFromJson(json_t *j, HavocCheckpointInfo *in, const char path[])
{
  json_t *fmt = json_object_get(j, "format");

  PetscFunctionBeginUser;
  PetscCheck(json_is_string(fmt) && !strcmp(json_string_value(fmt), "havoc-checkpoint"), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s: not a havoc checkpoint manifest", path);
  PetscCall(GetString(j, "phase", in->phase, sizeof(in->phase), path));
  PetscCall(GetString(j, "reason", in->reason, sizeof(in->reason), path));
  PetscCall(GetString(j, "cwd", in->cwd, sizeof(in->cwd), path));
  PetscCall(GetString(j, "case", in->case_path, sizeof(in->case_path), path));
  {
    json_t *a = json_object_get(j, "options");
    char   *t;
    PetscCheck(json_is_array(a), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s: expected an array 'options'", path);
    t = json_dumps(a, JSON_COMPACT);
    PetscCheck(t && strlen(t) < sizeof(in->args), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s: 'options' too long", path);
    PetscCall(PetscStrncpy(in->args, t, sizeof(in->args)));
    free(t);
  }
  PetscCall(GetString(j, "options_hash", in->options_hash, sizeof(in->options_hash), path));
  PetscCheck(json_is_integer(json_object_get(j, "ranks")) && json_is_integer(json_object_get(j, "step")) && json_is_number(json_object_get(j, "t_s")), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s: expected integers 'ranks', 'step' and a number 't_s'", path);
  in->fault = json_is_true(json_object_get(j, "fault")) ? PETSC_TRUE : PETSC_FALSE;
  in->ranks = (PetscInt)json_integer_value(json_object_get(j, "ranks"));
  in->step  = (PetscInt)json_integer_value(json_object_get(j, "step"));
  in->t     = json_number_value(json_object_get(j, "t_s"));
  in->wall  = json_number_value(json_object_get(j, "wall_s"));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCheckpointReadInfo(MPI_Comm comm, const char dir[], HavocCheckpointInfo *info)
{
  PetscMPIInt rank;
  char        path[PETSC_MAX_PATH_LEN], msg[3 * PETSC_MAX_PATH_LEN] = "";

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(PetscMemzero(info, sizeof(*info)));
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/checkpoint/manifest.json", dir));
  if (!rank) {
    json_error_t e;
    json_t      *j;
    struct stat  st;
    if (stat(dir, &st) || !S_ISDIR(st.st_mode)) snprintf(msg, sizeof(msg), "havoc run --restart %s: no such directory (expected the output directory of an interrupted run)", dir);
    else if (!(j = json_load_file(path, 0, &e))) snprintf(msg, sizeof(msg), "havoc run --restart %s: no checkpoint there (cannot read %s: %s); a run writes one when it gets SIGTERM or SIGINT, every -checkpoint_interval, and at the end of the flow phases of a run with the tissue", dir, path, e.text);
    else {
      PetscErrorCode ierr;
      PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
      ierr = InfoFromJson(j, info, path);
      PetscCall(PetscPopErrorHandler());
      json_decref(j);
      if (ierr) snprintf(msg, sizeof(msg), "%s: not a valid checkpoint manifest (written by another havoc version?)", path);
    }
  }
  PetscCallMPI(MPI_Bcast(msg, sizeof(msg), MPI_CHAR, 0, comm));
  HavocCheckUser(!msg[0], comm, "%s", msg);
  PetscCallMPI(MPI_Bcast(info, sizeof(*info), MPI_BYTE, 0, comm));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCheckpointOpen(MPI_Comm comm, const char dir[], HavocCheckpoint *out)
{
  HavocCheckpoint ck;
  PetscMPIInt     rank;
  char            magic[8];
  int             bad;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(PetscNew(&ck));
  ck->comm = comm;
  PetscCall(PetscStrncpy(ck->dir, dir, sizeof(ck->dir)));
  PetscCall(PetscSNPrintf(ck->path, sizeof(ck->path), "%s/checkpoint", dir));
  PetscCall(PetscSNPrintf(ck->file, sizeof(ck->file), "%s/rank-%d.bin", ck->path, rank));
  ck->f = fopen(ck->file, "rb");
  bad   = !ck->f || fread(magic, 1, 8, ck->f) != 8 || memcmp(magic, MAGIC, 8);
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &bad, 1, MPI_INT, MPI_MAX, comm));
  if (bad) {
    if (ck->f) fclose(ck->f);
    PetscCall(PetscFree(ck));
    SETERRQ(comm, PETSC_ERR_FILE_READ, "cannot read the checkpoint in %s/checkpoint: a rank file is missing or is not a havoc checkpoint", dir);
  }
  *out = ck;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCheckpointRead(HavocCheckpoint ck, const char name[], void *data, size_t bytes)
{
  char     rec[NAME_LEN + 1] = {0};
  uint64_t n                 = 0;

  PetscFunctionBeginUser;
  PetscCheck(fread(rec, 1, NAME_LEN, ck->f) == NAME_LEN && fread(&n, sizeof(n), 1, ck->f) == 1, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: truncated before record '%s'", ck->file, name);
  PetscCheck(!strcmp(rec, name), PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s: expected record '%s', found '%s' (a checkpoint of another havoc version?)", ck->file, name, rec);
  PetscCheck(n == bytes, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s: record '%s' has %llu bytes, expected %zu (the case, its network or the rank count differ from the checkpointed run)", ck->file, name, (unsigned long long)n, bytes);
  PetscCheck(!bytes || fread(data, 1, bytes, ck->f) == bytes, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: record '%s' is truncated", ck->file, name);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCheckpointSkipPast(HavocCheckpoint ck, const char mark[])
{
  char     rec[NAME_LEN + 1] = {0};
  uint64_t n;

  PetscFunctionBeginUser;
  for (;;) {
    PetscCheck(fread(rec, 1, NAME_LEN, ck->f) == NAME_LEN && fread(&n, sizeof(n), 1, ck->f) == 1, PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: no record '%s'", ck->file, mark);
    if (!strcmp(rec, mark)) break;
    PetscCheck(!fseek(ck->f, (long)n, SEEK_CUR), PETSC_COMM_SELF, PETSC_ERR_FILE_READ, "%s: record '%s' is truncated", ck->file, rec);
  }
  PetscCheck(!n, PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "%s: the mark '%s' holds %llu bytes, expected none", ck->file, mark, (unsigned long long)n);
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCheckpointRecord(HavocCheckpoint ck, PetscBool write, const char name[], void *data, size_t bytes)
{
  PetscFunctionBeginUser;
  if (write) PetscCall(HavocCheckpointWrite(ck, name, data, bytes));
  else PetscCall(HavocCheckpointRead(ck, name, data, bytes));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCheckpointPath(HavocCheckpoint ck, const char name[], char path[], size_t len)
{
  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(path, len, "%s/%s", ck->path, name));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCheckpointClose(HavocCheckpoint *pck)
{
  PetscFunctionBeginUser;
  if (!*pck) PetscFunctionReturn(0);
  if ((*pck)->f) fclose((*pck)->f);
  PetscCall(PetscFree(*pck));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCheckpointRemove(MPI_Comm comm, const char dir[])
{
  PetscMPIInt rank;
  char        link[PETSC_MAX_PATH_LEN];

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Barrier(comm));
  if (!rank) {
    PetscCall(PetscSNPrintf(link, sizeof(link), "%s/checkpoint", dir));
    (void)unlink(link);
    RemoveOthers(dir, 0);
  }
  PetscFunctionReturn(0);
}

/* ---------------------------------------------------------------------------------------------------- */
static volatile sig_atomic_t signal_seen = 0;
static struct sigaction      old_term, old_int;
static PetscInt              pushed = 0;

static void OnSignal(int sig)
{
  signal_seen = sig;
}

PetscErrorCode HavocSignalsPush(void)
{
  struct sigaction sa;

  PetscFunctionBeginUser;
  if (pushed++) PetscFunctionReturn(0);
  signal_seen = 0;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  PetscCheck(!sigaction(SIGTERM, &sa, &old_term) && !sigaction(SIGINT, &sa, &old_int), PETSC_COMM_SELF, PETSC_ERR_SYS, "cannot install the signal handlers: %s", strerror(errno));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocSignalsPop(void)
{
  PetscFunctionBeginUser;
  if (!pushed || --pushed) PetscFunctionReturn(0);
  (void)sigaction(SIGTERM, &old_term, NULL);
  (void)sigaction(SIGINT, &old_int, NULL);
  PetscFunctionReturn(0);
}

int HavocSignalPending(void)
{
  return (int)signal_seen;
}

PetscErrorCode HavocSignalAgree(MPI_Comm comm, int *sig)
{
  PetscFunctionBeginUser;
  *sig = (int)signal_seen;
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, sig, 1, MPI_INT, MPI_MAX, comm));
  PetscFunctionReturn(0);
}
