// A multi-stage Debian 12 Dockerfile for a bundle, for teams that build images with their own
// tooling: stage one builds gatehoused from the Gatehouse sources, stage two is debian:12-slim with
// the runtime libraries, the bundle and the same user, paths, ports and entrypoint as the OCI image
// `gatehoused export --image` writes.
#pragma once

#include "bundlewriter.h"
#include "environmentoverrides.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace Gatehouse {

struct DockerfileOptions
{
    QString name;                          // the project's name (labels)
    QString version;                       // Gatehouse version (labels)
    QList<quint16> ports;                  // EXPOSE: the bundle's HTTP, HTTPS and admin ports
    QList<EnvironmentVariable> variables;  // listed in a comment: set them at `docker run`
};

// The options for a written bundle: its name, listener ports (as the OCI image exposes them) and variables.
DockerfileOptions dockerfileOptions(const BundleResult &bundle, const QString &version);

// Debian 12 packages the build stage installs (compiler, CMake, the -dev packages of every library).
QStringList dockerBuildPackages();
// Debian 12 packages that provide every shared library gatehoused loads (and its TLS plugin).
QStringList dockerRuntimePackages();

// The Dockerfile's text. It is built with the Gatehouse source tree as context and the bundle as
// the named context "bundle" (BuildKit):
//   docker buildx build -f Dockerfile --build-context bundle=OUT -t NAME:TAG GATEHOUSE_SOURCE_DIR
QByteArray dockerfileText(const DockerfileOptions &options);

} // namespace Gatehouse
