// An OCI container image of a bundle, written in-process (no Docker, Podman or Buildah): one
// gzipped layer with gatehoused, the libraries and Qt plugins it needs, CA certificates, a
// non-root user and the bundle; as an oci-archive that `docker load` and `podman load` accept too.
#pragma once

#include "base/result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace Gatehouse {

struct ImageOptions
{
    QString bundleDir;        // a bundle written by writeBundle()
    QString outFile;          // FILE.tar, replaced atomically
    QString gatehousedPath;   // the binary to ship (the running gatehoused)
    QStringList pluginFiles;  // Qt plugins to ship at the same paths (the TLS backend)
    QString caCertificates = QStringLiteral("/etc/ssl/certs/ca-certificates.crt");
    QString name;             // "gatehouse/petstore" (docker's RepoTags)
    QString tag = QStringLiteral("latest");
    QString version;          // Gatehouse version, for the labels
    QList<quint16> ports;     // ExposedPorts (TCP)
    // Called on the writing thread before each layer entry (files compressed so far, all files).
    std::function<void(int done, int total)> progress;
};

struct ImageResult
{
    QString manifestDigest;   // "sha256:..."; equal inputs give an equal digest
    QString layerDigest;
    qint64 layerBytes = 0;    // compressed
    qint64 archiveBytes = 0;
    int layerEntries = 0;
};

// Where things go in the image.
inline constexpr int kImageUid = 10001;   // user "gatehouse"; owns /srv/gatehouse/keys for first-run keys
QString imageBundlePath();                // "/srv/gatehouse"
QStringList imageEntrypoint();            // ["/usr/bin/gatehoused", "serve", "/srv/gatehouse"]

// The TLS backend plugins of the Qt that gatehoused runs with (QLibraryInfo's plugin folder).
QStringList qtTlsPlugins();

Result<ImageResult> writeOciImage(const ImageOptions &options);

} // namespace Gatehouse
