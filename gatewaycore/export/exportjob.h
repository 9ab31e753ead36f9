// ExportJob: everything `gatehoused export` writes (bundle, Dockerfile, OCI image, Kubernetes
// manifests) in one call with progress, for callers that run it off their UI thread (the
// workbench's export wizard). No Gui; every callback runs on the calling thread.
#pragma once

#include "bundlewriter.h"
#include "k8smanifests.h"
#include "ociimage.h"

#include "base/diagnostic.h"
#include "base/result.h"

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace Gatehouse {

struct ExportJobOptions
{
    BundleOptions bundle;      // projectDir, outDir, includeSecrets
    QString dockerfile;        // empty = none
    QString imageFile;         // empty = no image
    QString imageName;         // "name:tag"; empty = gatehouse/<project>:latest
    QString gatehousedPath;    // the binary the image ships; required with imageFile
    QString k8sDir;            // empty = no manifests
    QString version;           // Gatehouse version for labels
};

enum class ExportStep { Bundle = 1, Dockerfile, Image, Kubernetes, Done };

struct ExportSummary
{
    BundleResult bundle;
    QString imageReference;               // "gatehouse/petstore:latest"
    std::optional<ImageResult> image;
    QString dockerfile;                   // absolute, when written
    QStringList manifests;                // file names in k8sDir
    QString k8sDir;                       // absolute, when written
};

// `done`/`total` count files within the image step (0/0 in the other steps).
using ExportProgress = std::function<void(ExportStep step, int done, int total)>;

// The image name a bundle gets: `requested`, or gatehouse/<kubernetes name of the project>:latest.
QString exportImageReference(const QString &requested, const BundleResult &bundle);
// The manifests' options for a bundle and its image (ports, drain timeout, variables, key files, Redis).
KubernetesOptions kubernetesOptionsFor(const BundleResult &bundle, const QString &imageReference);

// Project errors are in `diagnostics` (the bundle is refused then); a failing later step returns
// its error, keeping what earlier steps wrote.
Result<ExportSummary> runExportJob(const ExportJobOptions &options, Diagnostics &diagnostics,
                                   const ExportProgress &progress = {});

} // namespace Gatehouse
