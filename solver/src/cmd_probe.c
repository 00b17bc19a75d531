/* havoc probe RESULT.h5 VESSEL [--at F] [--cycle last|N]: a waveform as CSV on stdout (also havoc export csv --table probe). */
#include "cli.h"
#include "io.h"
#include "options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The CSV of one probe of the index ix of the result file path. */
static PetscErrorCode WriteCsv(FILE *out, const char path[], const HavocProbeIndex *ix, const char name[], PetscReal f, const char cyc[], PetscBool full)
{
  PetscReal  t_shift = 0;
  PetscInt   vessel = -1, ifrac = -1, t0 = 0, nt;
  PetscReal *p, *q, *a;

  PetscFunctionBeginUser;
  for (PetscInt i = 0; i < ix->nvessels; i++)
    if (!strcmp(ix->names[i], name)) vessel = i;
  if (vessel < 0) {
    char list[1024] = "";
    for (PetscInt i = 0; i < ix->nvessels && i < 12; i++) {
      PetscCall(HavocStrlcat(list, i ? ", " : "", sizeof(list)));
      PetscCall(HavocStrlcat(list, ix->names[i], sizeof(list)));
    }
    if (ix->nvessels > 12) PetscCall(HavocStrlcat(list, ", ...", sizeof(list)));
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_USER_INPUT, "%s: no vessel '%s' (it has %" PetscInt_FMT ": %s)", path, name, ix->nvessels, list);
  }
  for (PetscInt k = 0; k < ix->nfrac; k++)
    if (PetscAbsReal(ix->frac[k] - f) < 1e-9) ifrac = k;
  if (ifrac < 0) {
    char list[512] = "", num[32];
    for (PetscInt k = 0; k < ix->nfrac; k++) {
      PetscCall(PetscSNPrintf(num, sizeof(num), "%s%.6g", k ? ", " : "", (double)ix->frac[k]));
      PetscCall(HavocStrlcat(list, num, sizeof(list)));
    }
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_USER_INPUT, "%s: no probe at fraction %.6g of '%s'; recorded fractions: %s (set -output_probe_fractions to record others)", path, (double)f, name, list);
  }
  nt = ix->nt;
  if (cyc) {
    PetscInt spc, ncycles, c;
    char    *end;
    HavocCheckUser(ix->period > 0 && ix->nt > 1, PETSC_COMM_SELF, "--cycle: %s has no periodic inlet, so no cycles", path);
    spc     = (PetscInt)PetscFloorReal(ix->period / (ix->t[1] - ix->t[0]) + 0.5);
    ncycles = ix->nt / spc;
    HavocCheckUser(ncycles > 0, PETSC_COMM_SELF, "--cycle: %s holds no complete cycle", path);
    if (!strcmp(cyc, "last")) c = ncycles;
    else {
      c = (PetscInt)strtol(cyc, &end, 10);
      HavocCheckUser(end != cyc && !*end && c >= 1 && c <= ncycles, PETSC_COMM_SELF, "--cycle %s: expected 'last' or a cycle number from 1 to %" PetscInt_FMT, cyc, ncycles);
    }
    t0      = (c - 1) * spc;
    nt      = spc;
    t_shift = ix->t[t0];
  }
  PetscCall(PetscMalloc3(nt, &p, nt, &q, nt, &a));
  PetscCall(HavocProbeRead(path, vessel, ifrac, t0, nt, p, q, a));
  fprintf(out, "t_s,p_Pa,q_m3s,a_m2\n");
  for (PetscInt i = 0; i < nt; i++)
    fprintf(out, full ? "%.17g,%.17g,%.17g,%.17g\n" : "%.9g,%.12g,%.12g,%.12g\n", (double)(ix->t[t0 + i] - t_shift), (double)p[i], (double)q[i], (double)a[i]);
  fflush(out);
  PetscCall(PetscFree3(p, q, a));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocProbeWriteCsv(FILE *out, const char path[], const char name[], const char at[], const char cyc[], PetscBool full)
{
  HavocProbeIndex ix;
  PetscReal       f = 0.5;
  PetscErrorCode  ierr;

  PetscFunctionBeginUser;
  if (at) {
    char *end;
    f = strtod(at, &end);
    HavocCheckUser(end != at && !*end && f >= 0 && f <= 1, PETSC_COMM_SELF, "--at %s: expected a fraction of the vessel length in [0, 1]", at);
  }
  PetscCall(HavocProbeIndexRead(path, &ix));
  ierr = WriteCsv(out, path, &ix, name, f, cyc, full);
  PetscCall(HavocProbeIndexFree(&ix));
  if (ierr) return ierr;
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCmdProbe(MPI_Comm comm, const HavocArgs *args)
{
  PetscMPIInt rank;

  PetscFunctionBeginUser;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  HavocCheckUser(args->npos == 2, comm, "usage: havoc probe RESULT.h5 VESSEL [--at FRACTION] [--cycle last|N]");
  PetscCall(HavocOptionsCheckUnused(comm));
  if (rank) PetscFunctionReturn(0);
  PetscCall(HavocProbeWriteCsv(stdout, args->pos[0], args->pos[1], HavocArgsFlag(args, "--at"), HavocArgsFlag(args, "--cycle"), PETSC_FALSE));
  PetscFunctionReturn(0);
}
