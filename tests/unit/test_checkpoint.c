/* Checkpoint files (checkpoint.c): records read back bit for bit, a checkpoint that extends the current
   one keeps the records before its mark and drops the ones after it, a checkpoint becomes current only
   at Commit, and every malformed file gets an error naming the file and the record. */
#include "checkpoint.h"

#include <check.h>
#include "unittest.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static void MakeDir(void)
{
  snprintf(dir, sizeof(dir), "%s/havoc-ck-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  ck_assert_msg(mkdtemp(dir), "cannot create a temporary directory");
}

static void RemoveDir(void)
{
  ck_assert_int_eq(HavocCheckpointRemove(PETSC_COMM_WORLD, dir), 0);
  ck_assert_int_eq(rmdir(dir), 0);
}

/* The checkpoint DIR/checkpoint points to. */
static void ExpectCurrent(const char *target)
{
  char link[300], got[64];
  snprintf(link, sizeof(link), "%s/checkpoint", dir);
  ssize_t n = readlink(link, got, sizeof(got) - 1);
  ck_assert_msg(n > 0, "%s is not a symbolic link", link);
  got[n] = 0;
  ck_assert_str_eq(got, target);
}

static void WriteText(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  ck_assert_msg(f, "cannot write %s", path);
  fputs(text, f);
  fclose(f);
}

/* The call (made between HavocCaptureBegin and HavocCaptureEnd) failed with this message. */
static void ExpectFailed(PetscErrorCode ierr, const char *message)
{
  ck_assert_int_ne(ierr, 0);
  ck_assert_msg(strstr(captured, message), "got \"%s\", expected it to contain \"%s\"", captured, message);
}

static HavocCheckpointInfo Info(const char *phase, PetscInt step, PetscReal t)
{
  HavocCheckpointInfo in;
  memset(&in, 0, sizeof(in));
  snprintf(in.phase, sizeof(in.phase), "%s", phase);
  snprintf(in.reason, sizeof(in.reason), "test");
  snprintf(in.cwd, sizeof(in.cwd), "/");
  snprintf(in.case_path, sizeof(in.case_path), "case.yaml");
  snprintf(in.options_hash, sizeof(in.options_hash), "0");
  in.ranks = 1, in.step = step, in.t = t;
  return in;
}

static const PetscReal a_data[3] = {1.0 / 3.0, -2.5e-300, 6.02214076e23};

/* checkpoint-1: records a (3 reals) and b (empty), and a result file. */
static void WriteFirst(void)
{
  HavocCheckpoint     ck;
  HavocCheckpointInfo in = Info("chronic", 7, 1.5);
  char                src[300];

  snprintf(src, sizeof(src), "%s/result-src.h5", dir);
  WriteText(src, "result");
  ck_assert_int_eq(HavocCheckpointBegin(PETSC_COMM_WORLD, dir, &ck), 0);
  ck_assert_int_eq(HavocCheckpointWrite(ck, "a", a_data, sizeof(a_data)), 0);
  ck_assert_int_eq(HavocCheckpointWrite(ck, "b", NULL, 0), 0);
  ck_assert_int_eq(HavocCheckpointCopyFile(ck, src, "result.h5"), 0);
  ck_assert_int_eq(HavocCheckpointCommit(&ck, &in), 0);
  ck_assert_int_eq(unlink(src), 0);
}

/* A checkpoint extending the current one with the record c = value after the mark m. */
static void Extend(PetscReal value, PetscInt step)
{
  HavocCheckpoint     ck;
  HavocCheckpointInfo in = Info("tissue", step, 3600);

  ck_assert_int_eq(HavocCheckpointExtend(PETSC_COMM_WORLD, dir, "m", &ck), 0);
  ck_assert_int_eq(HavocCheckpointRecord(ck, PETSC_TRUE, "c", &value, sizeof(value)), 0);
  ck_assert_int_eq(HavocCheckpointCommit(&ck, &in), 0);
}

/* The error a Read (or SkipPast) of the current checkpoint raises after reading the records before. */
static void ExpectReadError(const char *name, size_t bytes, const char *skip_past, const char *message)
{
  HavocCheckpoint ck;
  PetscReal       buf[8];
  PetscErrorCode  ierr;

  ck_assert_int_eq(HavocCheckpointOpen(PETSC_COMM_WORLD, dir, &ck), 0);
  ck_assert_int_eq(HavocCaptureBegin(), 0);
  ierr = skip_past ? HavocCheckpointSkipPast(ck, skip_past) : HavocCheckpointRead(ck, name, buf, bytes);
  ExpectFailed(HavocCaptureEnd(ierr), message);
  ck_assert_int_eq(HavocCheckpointClose(&ck), 0);
}

START_TEST(round_trip)
{
  HavocCheckpoint     ck;
  HavocCheckpointInfo in;
  PetscReal           a[3];

  MakeDir();
  WriteFirst();
  ExpectCurrent("checkpoint-1");
  ck_assert_int_eq(HavocCheckpointReadInfo(PETSC_COMM_WORLD, dir, &in), 0);
  ck_assert_str_eq(in.phase, "chronic");
  ck_assert_int_eq(in.step, 7);
  ck_assert(in.t == 1.5);
  ck_assert_int_eq(HavocCheckpointOpen(PETSC_COMM_WORLD, dir, &ck), 0);
  ck_assert_int_eq(HavocCheckpointRecord(ck, PETSC_FALSE, "a", a, sizeof(a)), 0);
  ck_assert_int_eq(memcmp(a, a_data, sizeof(a)), 0); /* bit for bit */
  ck_assert_int_eq(HavocCheckpointRead(ck, "b", NULL, 0), 0);
  ck_assert_int_eq(HavocCheckpointClose(&ck), 0);
  RemoveDir();
}
END_TEST

START_TEST(extend)
{
  HavocCheckpoint ck;
  PetscReal       a[3], c;
  char            path[300], text[16] = "";
  FILE           *f;
  struct stat     st;

  MakeDir();
  WriteFirst();
  Extend(10, 16);
  ExpectCurrent("checkpoint-2");
  snprintf(path, sizeof(path), "%s/checkpoint-1", dir);
  ck_assert_msg(stat(path, &st), "%s is still there", path);
  Extend(20, 32); /* replaces c, keeps a and b */
  ExpectCurrent("checkpoint-3");
  ck_assert_int_eq(HavocCheckpointOpen(PETSC_COMM_WORLD, dir, &ck), 0);
  ck_assert_int_eq(HavocCheckpointRead(ck, "a", a, sizeof(a)), 0);
  ck_assert_int_eq(memcmp(a, a_data, sizeof(a)), 0);
  ck_assert_int_eq(HavocCheckpointRead(ck, "b", NULL, 0), 0);
  ck_assert_int_eq(HavocCheckpointRead(ck, "m", NULL, 0), 0);
  ck_assert_int_eq(HavocCheckpointRead(ck, "c", &c, sizeof(c)), 0);
  ck_assert(c == 20);
  ck_assert_int_eq(HavocCheckpointClose(&ck), 0);
  ck_assert_int_eq(HavocCheckpointOpen(PETSC_COMM_WORLD, dir, &ck), 0);
  ck_assert_int_eq(HavocCheckpointSkipPast(ck, "m"), 0);
  ck_assert_int_eq(HavocCheckpointRead(ck, "c", &c, sizeof(c)), 0);
  ck_assert(c == 20);
  ck_assert_int_eq(HavocCheckpointClose(&ck), 0);
  /* the result file came along */
  snprintf(path, sizeof(path), "%s/checkpoint/result.h5", dir);
  f = fopen(path, "r");
  ck_assert_ptr_nonnull(f);
  ck_assert_ptr_nonnull(fgets(text, sizeof(text), f));
  fclose(f);
  ck_assert_str_eq(text, "result");
  RemoveDir();
}
END_TEST

START_TEST(unfinished)
{
  HavocCheckpoint     ck;
  HavocCheckpointInfo in;
  PetscReal           x = 1;
  char                path[300];
  struct stat         st;

  MakeDir();
  WriteFirst();
  /* a run killed while writing checkpoint-2: the current one is still checkpoint-1 */
  ck_assert_int_eq(HavocCheckpointBegin(PETSC_COMM_WORLD, dir, &ck), 0);
  ck_assert_int_eq(HavocCheckpointWrite(ck, "x", &x, sizeof(x)), 0);
  ck_assert_int_eq(HavocCheckpointClose(&ck), 0);
  ExpectCurrent("checkpoint-1");
  ck_assert_int_eq(HavocCheckpointReadInfo(PETSC_COMM_WORLD, dir, &in), 0);
  ck_assert_int_eq(in.step, 7);
  /* the next checkpoint removes what it left */
  ck_assert_int_eq(HavocCheckpointBegin(PETSC_COMM_WORLD, dir, &ck), 0);
  ck_assert_int_eq(HavocCheckpointWrite(ck, "a", a_data, sizeof(a_data)), 0);
  in = Info("acute", 8, 2);
  ck_assert_int_eq(HavocCheckpointCommit(&ck, &in), 0);
  ExpectCurrent("checkpoint-2");
  snprintf(path, sizeof(path), "%s/checkpoint-1", dir);
  ck_assert_msg(stat(path, &st), "%s is still there", path);
  RemoveDir();
}
END_TEST

START_TEST(bad_files)
{
  HavocCheckpoint     ck;
  HavocCheckpointInfo in;
  char                path[300], file[300];

  MakeDir();
  WriteFirst();
  snprintf(file, sizeof(file), "%s/checkpoint/rank-0.bin", dir);
  ExpectReadError("b", 0, NULL, "expected record 'b', found 'a'");
  ExpectReadError("a", 2 * sizeof(PetscReal), NULL, "record 'a' has 24 bytes, expected 16");
  ExpectReadError(NULL, 0, "zz", "no record 'zz'");
  /* cut in the middle of record a */
  ck_assert_int_eq(truncate(file, 8 + 32 + 8 + 10), 0);
  ExpectReadError("a", sizeof(a_data), NULL, "record 'a' is truncated");
  ck_assert_int_eq(truncate(file, 8 + 20), 0);
  ExpectReadError("a", sizeof(a_data), NULL, "truncated before record 'a'");
  /* not a checkpoint */
  WriteText(file, "garbage!");
  ck_assert_int_eq(HavocCaptureBegin(), 0);
  ExpectFailed(HavocCaptureEnd(HavocCheckpointOpen(PETSC_COMM_WORLD, dir, &ck)), "is not a havoc checkpoint");
  /* a manifest that is not one */
  snprintf(path, sizeof(path), "%s/checkpoint/manifest.json", dir);
  WriteText(path, "{\"format\": \"something else\"}");
  ck_assert_int_eq(HavocCaptureBegin(), 0);
  ExpectFailed(HavocCaptureEnd(HavocCheckpointReadInfo(PETSC_COMM_WORLD, dir, &in)), "not a valid checkpoint manifest");
  RemoveDir();
}
END_TEST

/* SIGTERM inside Push/Pop only sets the flag the run polls; Pop gives the signal back its old action. */
START_TEST(signals)
{
  int              sig = -1;
  struct sigaction before, after;

  ck_assert_int_eq(sigaction(SIGTERM, NULL, &before), 0);
  ck_assert_int_eq(HavocSignalsPush(), 0);
  ck_assert_int_eq(HavocSignalPending(), 0);
  ck_assert_int_eq(raise(SIGTERM), 0);
  ck_assert_int_eq(HavocSignalPending(), SIGTERM);
  ck_assert_int_eq(HavocSignalAgree(PETSC_COMM_WORLD, &sig), 0);
  ck_assert_int_eq(sig, SIGTERM);
  ck_assert_int_eq(HavocSignalsPop(), 0);
  ck_assert_int_eq(sigaction(SIGTERM, NULL, &after), 0);
  ck_assert_ptr_eq((void *)after.sa_handler, (void *)before.sa_handler);
}
END_TEST

int main(int argc, char **argv)
{
  Suite *suite = suite_create("checkpoint");
  TCase *tc    = tcase_create("checkpoint");
  int    failed;

  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  tcase_add_test(tc, round_trip);
  tcase_add_test(tc, extend);
  tcase_add_test(tc, unfinished);
  tcase_add_test(tc, bad_files);
  tcase_add_test(tc, signals);
  suite_add_tcase(suite, tc);
  failed = HavocRunSuite(suite);
  if (PetscFinalize()) return 1;
  return failed ? 1 : 0;
}
