// ExportJob: bundle → Dockerfile → OCI image → Kubernetes manifests, with progress.
#include "exportjob.h"

#include "dockerfile.h"

#include "base/savefile.h"

#include <QFileInfo>

namespace Gatehouse {

QString exportImageReference(const QString &requested, const BundleResult &bundle)
{
    return requested.isEmpty() ? QStringLiteral("gatehouse/%1:latest").arg(kubernetesName(bundle.name)) : requested;
}

KubernetesOptions kubernetesOptionsFor(const BundleResult &bundle, const QString &imageReference)
{
    KubernetesOptions k8s;
    k8s.name = kubernetesName(bundle.name);
    k8s.image = imageReference;
    k8s.httpPort = bundle.httpPort;
    k8s.httpsPort = bundle.httpsPort;
    k8s.adminPort = bundle.adminPort;
    k8s.drainTimeout = std::chrono::duration_cast<std::chrono::seconds>(bundle.drainTimeout);
    k8s.variables = bundle.variables;
    if (bundle.httpsPort != 0)
        k8s.keyFiles << QStringLiteral("tls.crt") << QStringLiteral("tls.key");
    if (bundle.apiKeysEnabled)
        k8s.keyFiles << QStringLiteral("apikey.pem");
    k8s.redisHost = bundle.redisHost;
    k8s.redisPort = bundle.redisPort;
    return k8s;
}

Result<ExportSummary> runExportJob(const ExportJobOptions &options, Diagnostics &diagnostics,
                                   const ExportProgress &progress)
{
    auto report = [&](ExportStep step, int done = 0, int total = 0) {
        if (progress)
            progress(step, done, total);
    };
    if (!options.imageFile.isEmpty() && !QFileInfo(options.gatehousedPath).isExecutable())
        return Error::config(QStringLiteral("no gatehoused binary to put into the image (looked for '%1')")
                                 .arg(options.gatehousedPath));
    report(ExportStep::Bundle);
    Result<BundleResult> bundle = writeBundle(options.bundle, diagnostics);
    if (!bundle)
        return bundle.error();
    ExportSummary summary;
    summary.bundle = *bundle;
    summary.imageReference = exportImageReference(options.imageName, summary.bundle);

    if (!options.dockerfile.isEmpty()) {
        report(ExportStep::Dockerfile);
        const QByteArray text = dockerfileText(dockerfileOptions(summary.bundle, options.version));
        if (auto saved = saveFile(options.dockerfile, text); !saved)
            return saved.error();
        summary.dockerfile = QFileInfo(options.dockerfile).absoluteFilePath();
    }
    if (!options.imageFile.isEmpty()) {
        report(ExportStep::Image);
        ImageOptions image;
        image.bundleDir = summary.bundle.outDir;
        image.outFile = options.imageFile;
        image.gatehousedPath = options.gatehousedPath;
        image.pluginFiles = qtTlsPlugins();
        image.version = options.version;
        const QString &reference = summary.imageReference;
        const qsizetype colon = reference.lastIndexOf(u':');
        const bool tagged = colon > reference.lastIndexOf(u'/');
        image.name = tagged ? reference.left(colon) : reference;
        image.tag = tagged ? reference.mid(colon + 1) : QStringLiteral("latest");
        for (quint16 port : {summary.bundle.httpPort, summary.bundle.httpsPort, summary.bundle.adminPort}) {
            if (port != 0)
                image.ports.append(port);
        }
        image.progress = [&](int done, int total) { report(ExportStep::Image, done, total); };
        Result<ImageResult> written = writeOciImage(image);
        if (!written)
            return written.error();
        summary.image = *written;
    }
    if (!options.k8sDir.isEmpty()) {
        report(ExportStep::Kubernetes);
        const Result<QStringList> files =
            writeKubernetesManifests(kubernetesOptionsFor(summary.bundle, summary.imageReference), options.k8sDir);
        if (!files)
            return files.error();
        summary.manifests = *files;
        summary.k8sDir = QFileInfo(options.k8sDir).absoluteFilePath();
    }
    report(ExportStep::Done);
    return summary;
}

} // namespace Gatehouse
