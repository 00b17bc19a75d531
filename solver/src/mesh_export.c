/* havoc mesh export: the network as a CSV table or as VTK polylines. */
#include "mesh.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void WriteCSV(FILE *f, HavocMesh m)
{
  fprintf(f, "name,from,to,length_m,radius_prox_m,radius_dist_m,E_Pa,h_m,beta_Pa_m,reference_pressure_Pa,external_pressure_Pa,zeta,territory,outlet\n");
  for (PetscInt i = 0; i < m->nvessels; i++) {
    const HavocMeshVessel *v    = &m->vessels[i];
    const HavocOutletType *type = NULL;
    if (v->outlet_type >= 0) (void)HavocOutletGet(v->outlet_type, &type);
    fprintf(f, "%s,%d,%d,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%s,%s\n", v->name, (int)m->nodes[v->from].id, (int)m->nodes[v->to].id, (double)v->length, (double)v->r_prox, (double)v->r_dist, (double)v->E, (double)v->h, (double)v->beta, (double)v->p_ref, (double)v->p_ext, (double)v->zeta, v->territory, type ? type->name : "");
  }
}

/* Legacy VTK: points are the nodes followed by every vessel's interior points; each vessel a polyline. */
static void WriteVTK(FILE *f, HavocMesh m)
{
  PetscInt npts = m->nnodes + m->npoints, nidx = 0;

  fprintf(f, "# vtk DataFile Version 3.0\nhavoc network %s (coordinates in mm, face frame)\nASCII\nDATASET POLYDATA\n", m->name);
  fprintf(f, "POINTS %d double\n", (int)npts);
  for (PetscInt n = 0; n < m->nnodes; n++)
    fprintf(f, "%.9g %.9g %.9g\n", 1e3 * m->nodes[n].x[0], 1e3 * m->nodes[n].x[1], 1e3 * m->nodes[n].x[2]);
  for (PetscInt k = 0; k < m->npoints; k++)
    fprintf(f, "%.9g %.9g %.9g\n", 1e3 * m->points[3 * k], 1e3 * m->points[3 * k + 1], 1e3 * m->points[3 * k + 2]);
  for (PetscInt i = 0; i < m->nvessels; i++)
    nidx += 3 + m->vessels[i].npoints;
  fprintf(f, "LINES %d %d\n", (int)m->nvessels, (int)nidx);
  for (PetscInt i = 0; i < m->nvessels; i++) {
    const HavocMeshVessel *v = &m->vessels[i];
    fprintf(f, "%d %d", (int)(2 + v->npoints), (int)v->from);
    for (PetscInt k = 0; k < v->npoints; k++)
      fprintf(f, " %d", (int)(m->nnodes + v->points_offset + k));
    fprintf(f, " %d\n", (int)v->to);
  }
  fprintf(f, "CELL_DATA %d\n", (int)m->nvessels);
  {
    const char *names[] = {"radius_prox_mm", "radius_dist_mm", "length_mm", "zeta"};
    for (int a = 0; a < 4; a++) {
      fprintf(f, "SCALARS %s double 1\nLOOKUP_TABLE default\n", names[a]);
      for (PetscInt i = 0; i < m->nvessels; i++) {
        const HavocMeshVessel *v    = &m->vessels[i];
        const double           x[4] = {1e3 * v->r_prox, 1e3 * v->r_dist, 1e3 * v->length, v->zeta};
        fprintf(f, "%.9g\n", x[a]);
      }
    }
    fprintf(f, "SCALARS vessel_index int 1\nLOOKUP_TABLE default\n");
    for (PetscInt i = 0; i < m->nvessels; i++)
      fprintf(f, "%d\n", (int)i);
    fprintf(f, "SCALARS has_outlet int 1\nLOOKUP_TABLE default\n");
    for (PetscInt i = 0; i < m->nvessels; i++)
      fprintf(f, "%d\n", m->vessels[i].outlet_type >= 0);
  }
}

PetscErrorCode HavocMeshExport(MPI_Comm comm, HavocMesh mesh, const char format[], const char path[])
{
  char        tmp[PETSC_MAX_PATH_LEN];
  PetscMPIInt rank;
  int         err = 0, csv = !strcmp(format, "csv"), vtk = !strcmp(format, "vtk");

  PetscFunctionBeginUser;
  HavocCheckUser(csv || vtk, comm, "option -format: unknown export format '%s' (expected csv or vtk)", format);
  PetscCall(HavocTempPath(comm, path, tmp, sizeof(tmp)));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  if (!rank) {
    FILE *f = fopen(tmp, "w");
    if (!f) err = errno;
    else {
      if (csv) WriteCSV(f, mesh);
      else WriteVTK(f, mesh);
      if (ferror(f)) err = EIO;
      if (fclose(f) && !err) err = errno;
      if (err) remove(tmp);
    }
  }
  PetscCallMPI(MPI_Bcast(&err, 1, MPI_INT, 0, comm));
  PetscCheck(!err, comm, PETSC_ERR_FILE_WRITE, "cannot write '%s': %s", path, strerror(err));
  PetscCall(HavocCommitPath(comm, tmp, path));
  PetscFunctionReturn(0);
}
