// Start-time configuration of an exported bundle from environment variables (ports, upstreams,
// key files), so that one bundle serves every environment. The names are listed in docs/export.md.
#pragma once

#include "base/diagnostic.h"

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace Gatehouse {

struct Project;
struct ApiSpec;
struct GrpcService;

// The file that marks a folder as an exported bundle (written by the bundle writer). Only bundles
// read the overrides below, so a workbench project never changes with the shell it was started from.
QString bundleMarkerFileName();   // "gatehouse-bundle.json"
bool isExportedBundle(const QString &projectDir);

// "apis/pet-store.yaml" -> "PET_STORE"; "helloworld.Greeter" -> "HELLOWORLD_GREETER"; "demo" -> "DEMO".
QString environmentToken(const QString &name);

// Names of the variables that override an API's or a gRPC service's upstream endpoints.
QString apiEndpointsVariable(const ApiSpec &api);          // GATEHOUSE_API_<FILE>_ENDPOINTS
QString grpcEndpointsVariable(const QString &serviceName);  // GATEHOUSE_GRPC_<SERVICE>_ENDPOINTS

// One variable a bundle understands (for the README, the image's Env and the Kubernetes manifests).
struct EnvironmentVariable
{
    QString name;
    QString meaning;
    QString defaultValue;   // what applies when it is not set; empty = nothing
    bool secret = false;    // belongs in a Kubernetes Secret rather than a ConfigMap
};

// The non-secret overrides a project's bundle reads: listeners, workers, TLS and signing key
// files, and the endpoints of every API and gRPC service.
QList<EnvironmentVariable> overrideVariables(const Project &project);

// Applies the variables of `environment` to a loaded project, before it is compiled. Bad values are
// errors at "environment variable NAME".
void applyEnvironmentOverrides(Project &project, const QProcessEnvironment &environment,
                               Diagnostics &diagnostics);

} // namespace Gatehouse
