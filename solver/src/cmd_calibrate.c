/* havoc calibrate CALIBRATION.yaml -o NETWORK.yaml: the outlets of a network fitted to a healthy state. */
#include "calibrate.h"
#include "cli.h"
#include "options.h"

#include <petscviewer.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The file says how it was made, so that nobody edits it by hand; a network given with -network (a
   virtual patient) keeps the comments it started with, which say what was drawn. */
static PetscErrorCode CalibratedText(MPI_Comm comm, HavocMesh mesh, const char calibration[], const char out[], PetscBool keep_comments, char **text)
{
  char   header[16384];
  char  *input;
  size_t len;

  PetscFunctionBeginUser;
  PetscCall(PetscSNPrintf(header, sizeof(header), "Written by: havoc calibrate %s -o %s%s%s\nThe network %s with its outlets fitted to the healthy state of the\ncalibration file. Do not edit: change the network or the calibration file and calibrate again.\n", calibration, out, keep_comments ? " -network " : "", keep_comments ? mesh->path : "", mesh->path));
  if (keep_comments) {
    PetscCall(HavocReadFile(comm, mesh->path, "network file", &input, &len));
    PetscCall(HavocStrlcat(header, "Its own header:\n", sizeof(header)));
    for (const char *line = input; line[0] == '#';) {
      const char *nl = strchr(line, '\n'), *start = line + (line[1] == ' ' ? 2 : 1);
      const int   n = (int)((nl ? nl : start + strlen(start)) - start);
      char        copy[1024];
      PetscCall(PetscSNPrintf(copy, sizeof(copy), "%.*s\n", PetscMin(n, (int)sizeof(copy) - 2), start));
      PetscCall(HavocStrlcat(header, "  ", sizeof(header)));
      PetscCall(HavocStrlcat(header, copy, sizeof(header)));
      if (!nl) break;
      line = nl + 1;
    }
    PetscCall(PetscFree(input));
  }
  PetscCall(HavocMeshWriteStringHeader(mesh, header, text));
  PetscFunctionReturn(0);
}

/* The check or the calibration on the calibration file and network the caller read and frees. */
static PetscErrorCode Calibrate(MPI_Comm comm, const char calibration[], HavocCalibration cal, HavocMesh mesh, const char out[], const char check[])
{
  PetscViewer viewer;
  char       *text;

  PetscFunctionBeginUser;
  PetscCall(PetscViewerASCIIGetStdout(comm, &viewer));
  if (check[0]) {
    HavocCheckState state;
    PetscInt        nfail, nchecked;
    PetscCall(HavocOptionsCheckUnused(comm));
    PetscCall(HavocCheckStateReadSummary(comm, check, mesh, &state));
    PetscCall(PetscViewerASCIIPrintf(viewer, "checks of %s on %s:\n", calibration, check));
    PetscCall(HavocCalibrationCheck(cal, mesh, &state, viewer, &nfail, &nchecked));
    PetscCall(HavocCheckStateDestroy(&state));
    HavocCheckUser(!nfail, comm, "%" PetscInt_FMT " of the %" PetscInt_FMT " checks of %s fail on %s", nfail, nchecked, calibration, check);
    PetscCall(PetscPrintf(comm, "havoc: all %" PetscInt_FMT " checks pass\n", nchecked));
    PetscFunctionReturn(0);
  }
  PetscCall(HavocCalibrate(comm, cal, mesh, viewer));
  PetscCall(HavocOptionsCheckUnused(comm));
  {
    char note[sizeof(mesh->description)];
    PetscCall(PetscSNPrintf(note, sizeof(note), "%s (outlets calibrated with %s)", mesh->description, calibration));
    PetscCall(PetscStrncpy(mesh->description, note, sizeof(mesh->description)));
  }
  PetscCall(CalibratedText(comm, mesh, calibration, out, cal->variant, &text));
  PetscCall(HavocWriteTextFile(comm, out, "network file", text));
  PetscCall(PetscFree(text));
  PetscCall(PetscPrintf(comm, "havoc: calibrated network in %s\n", out));
  PetscFunctionReturn(0);
}

PetscErrorCode HavocCmdCalibrate(MPI_Comm comm, const HavocArgs *args)
{
  HavocCalibration cal;
  HavocMesh        mesh = NULL;
  PetscBool        help;
  PetscErrorCode   ierr;
  char             out[PETSC_MAX_PATH_LEN] = "", network[PETSC_MAX_PATH_LEN] = "", check[PETSC_MAX_PATH_LEN] = "";

  PetscFunctionBeginUser;
  PetscCall(PetscOptionsHasHelp(NULL, &help));
  PetscOptionsBegin(comm, NULL, "havoc calibrate CALIBRATION.yaml -o NETWORK.yaml | -check SUMMARY.json", NULL);
  PetscCall(PetscOptionsString("-o", "network file to write, with the calibrated outlets", NULL, out, out, sizeof(out), NULL));
  PetscCall(PetscOptionsString("-network", "network to calibrate instead of the calibration file's (e.g. a sampled patient)", NULL, network, network, sizeof(network), NULL));
  PetscCall(PetscOptionsString("-check", "instead of calibrating, evaluate the calibration file's checks on the summary.json of a run", NULL, check, check, sizeof(check), NULL));
  PetscOptionsEnd();
  if (help) PetscFunctionReturn(0);
  HavocCheckUser(args->npos == 1, comm, "usage: havoc calibrate CALIBRATION.yaml -o NETWORK.yaml [-network FILE] | -check SUMMARY.json");
  HavocCheckUser(out[0] || check[0], comm, "havoc calibrate: missing -o FILE, the calibrated network to write (or -check SUMMARY.json)");
  HavocCheckUser(!(out[0] && check[0]), comm, "havoc calibrate: -o and -check exclude each other: a calibration or a check");
  PetscCall(HavocCalibrationRead(comm, args->pos[0], &cal));
  /* a sweep calibrates every patient of a population in one process: free both whether it works or not */
  ierr = HavocMeshRead(comm, network[0] ? network : cal->network, &mesh);
  if (!ierr) {
    cal->variant = (PetscBool)(network[0] != 0);
    ierr         = Calibrate(comm, args->pos[0], cal, mesh, out, check);
  }
  if (mesh) PetscCall(HavocMeshDestroy(&mesh));
  PetscCall(HavocCalibrationDestroy(&cal));
  if (ierr) return ierr;
  PetscFunctionReturn(0);
}
