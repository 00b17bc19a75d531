/* havoc report DIR [-o FILE.html] [-report_frames N]: one self-contained HTML page of a finished run for
   teaching (report.c; docs/postproc.md, "HTML report"). */
#include "cli.h"
#include "options.h"
#include "post.h"

PetscErrorCode HavocCmdReport(MPI_Comm comm, const HavocArgs *args)
{
  const char *o = HavocArgsFlag(args, "-o");
  char        out[PETSC_MAX_PATH_LEN];
  PetscInt    max_frames = 60, nframes = 0;
  size_t      bytes = 0;
  PetscBool   set;
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  HavocCheckUser(args->npos == 1, comm, "usage: havoc report DIR [-o FILE.html] [-report_frames N] (DIR: the output directory of havoc run)");
  HavocCheckUser(!o || o[0], comm, "-o: expected the name of the HTML file to write");
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-report_frames", &max_frames, &set));
  HavocCheckUser(max_frames >= 1, comm, "-report_frames %" PetscInt_FMT ": expected at least 1 picture on the time slider", max_frames);
  PetscCall(HavocOptionsCheckUnused(comm));
  if (o) PetscCall(PetscStrncpy(out, o, sizeof(out)));
  else PetscCall(PetscSNPrintf(out, sizeof(out), "%s/report.html", args->pos[0]));
  if (rank) PetscFunctionReturn(0);
  PetscCall(HavocReportWrite(args->pos[0], out, max_frames, &nframes, &bytes));
  printf("havoc: report in %s (%.0f kB, %" PetscInt_FMT " time%s on the slider)\n", out, (double)bytes / 1024, nframes, nframes == 1 ? "" : "s");
  fflush(stdout);
  PetscFunctionReturn(0);
}
