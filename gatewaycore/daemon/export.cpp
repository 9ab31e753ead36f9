// gatehoused export DIR --out OUT: write a project as a self-contained bundle, and optionally an OCI
// image of it and Kubernetes manifests (docs/export.md).
#include "cli.h"

#include "base/savefile.h"
#include "base/version.h"
#include "export/bundlewriter.h"
#include "export/dockerfile.h"
#include "export/exportjob.h"
#include "export/k8smanifests.h"
#include "export/ociimage.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace Gatehouse::Cli {

namespace {

constexpr auto kUsage = "Usage: gatehoused export DIR --out OUT [--include-secrets] [--image FILE.tar] "
                        "[--image-name NAME:TAG] [--k8s DIR] [--dockerfile FILE]\n";

void printDiagnostics(QTextStream &err, Diagnostics &diagnostics)
{
    diagnostics.sort();
    for (const Diagnostic &d : diagnostics.items())
        err << d.toString() << '\n';
}

struct ExportRequest
{
    BundleOptions bundle;
    QString imageFile;
    QString imageName;   // "name:tag"; default gatehouse/<project>:latest
    QString k8sDir;
    QString dockerfile;
};

QString imageReference(const ExportRequest &request, const BundleResult &bundle)
{
    return exportImageReference(request.imageName, bundle);
}

int writeManifests(Context &ctx, const ExportRequest &request, const BundleResult &bundle)
{
    const KubernetesOptions k8s = kubernetesOptionsFor(bundle, imageReference(request, bundle));
    const Result<QStringList> files = writeKubernetesManifests(k8s, request.k8sDir);
    if (!files) {
        ctx.err << "gatehoused export: no Kubernetes manifests written: " << files.error().message << '\n';
        return kExitErrors;
    }
    ctx.out << "gatehoused: Kubernetes manifests in " << QFileInfo(request.k8sDir).absoluteFilePath() << ": "
            << files->join(QStringLiteral(", ")) << "\n  fill in secret.yaml, then: kubectl apply -f "
            << request.k8sDir << '\n';
    return kExitOk;
}

int writeDockerfile(Context &ctx, const ExportRequest &request, const BundleResult &bundle)
{
    const QByteArray text = dockerfileText(dockerfileOptions(bundle, versionString()));
    if (auto saved = saveFile(request.dockerfile, text); !saved) {
        ctx.err << "gatehoused export: no Dockerfile written: " << saved.error().message << '\n';
        return kExitErrors;
    }
    ctx.out << "gatehoused: Dockerfile written to " << QFileInfo(request.dockerfile).absoluteFilePath()
            << "\n  build it from the Gatehouse sources: docker buildx build -f " << request.dockerfile
            << " --build-context bundle=" << bundle.outDir << " -t " << imageReference(request, bundle)
            << " GATEHOUSE_SOURCE_DIR\n";
    return kExitOk;
}

int writeImage(Context &ctx, const ExportRequest &request, const BundleResult &bundle)
{
    ImageOptions image;
    image.bundleDir = bundle.outDir;
    image.outFile = request.imageFile;
    image.gatehousedPath = QCoreApplication::applicationFilePath();
    image.pluginFiles = qtTlsPlugins();
    image.version = versionString();
    const QString reference = imageReference(request, bundle);
    const qsizetype colon = reference.lastIndexOf(u':');
    image.name = colon > reference.lastIndexOf(u'/') ? reference.left(colon) : reference;
    image.tag = colon > reference.lastIndexOf(u'/') ? reference.mid(colon + 1) : QStringLiteral("latest");
    for (quint16 port : {bundle.httpPort, bundle.httpsPort, bundle.adminPort}) {
        if (port != 0)
            image.ports.append(port);
    }
    const Result<ImageResult> result = writeOciImage(image);
    if (!result) {
        ctx.err << "gatehoused export: no image written: " << result.error().message << '\n';
        return kExitErrors;
    }
    ctx.out << "gatehoused: image " << image.name << ':' << image.tag << " written to "
            << QFileInfo(request.imageFile).absoluteFilePath() << " (" << result->archiveBytes / 1024 << " KiB, "
            << result->layerEntries << " files)\n"
            << "  digest " << result->manifestDigest << '\n'
            << "  load it with: docker load -i " << request.imageFile << "  (or podman load, skopeo copy oci-archive:"
            << request.imageFile << " ...)\n";
    return kExitOk;
}

} // namespace

int runExport(Context &ctx)
{
    ExportRequest request;
    BundleOptions &options = request.bundle;
    const QStringList &a = ctx.args;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const QString &arg = a.at(i);
        auto value = [&](QString &out) {
            if (i + 1 >= a.size() || a.at(i + 1).startsWith(u'-'))
                return false;
            out = a.at(++i);
            return true;
        };
        if (arg == u"--out" || arg == u"--image" || arg == u"--image-name" || arg == u"--k8s"
            || arg == u"--dockerfile") {
            QString &target = arg == u"--out"          ? options.outDir
                              : arg == u"--image"      ? request.imageFile
                              : arg == u"--k8s"        ? request.k8sDir
                              : arg == u"--dockerfile" ? request.dockerfile
                                                       : request.imageName;
            if (!value(target)) {
                ctx.err << "gatehoused export: " << arg << " needs a value\n" << kUsage;
                return kExitUsage;
            }
        } else if (arg == u"--include-secrets") {
            options.includeSecrets = true;
        } else if (arg.startsWith(u'-')) {
            ctx.err << "gatehoused export: unknown option '" << arg << "'\n" << kUsage;
            return kExitUsage;
        } else if (options.projectDir.isEmpty()) {
            options.projectDir = arg;
        } else {
            ctx.err << "gatehoused export: more than one project folder given\n" << kUsage;
            return kExitUsage;
        }
    }
    if (options.projectDir.isEmpty() || options.outDir.isEmpty()) {
        ctx.err << "gatehoused export: " << (options.projectDir.isEmpty() ? "missing project folder\n"
                                                                          : "missing --out OUT\n")
                << kUsage;
        return kExitUsage;
    }

    Diagnostics diagnostics;
    const Result<BundleResult> bundle = writeBundle(options, diagnostics);
    printDiagnostics(ctx.err, diagnostics);
    if (!bundle) {
        ctx.err << "gatehoused export: not exported: " << bundle.error().message << '\n';
        return kExitErrors;
    }
    if (options.includeSecrets) {
        ctx.err << "\n"
                   "*** WARNING: --include-secrets: the bundle in " << bundle->outDir << " contains\n"
                   "*** private keys, password hashes and secrets in clear. Anyone who can read it can\n"
                   "*** impersonate this gateway and its users. Never commit, share or publish it.\n\n";
    }
    ctx.out << "gatehoused: exported '" << bundle->name << "' to " << bundle->outDir << " ("
            << bundle->files.size() << " files)\n";
    for (const QString &file : bundle->leftOut)
        ctx.out << "  left out (secret): " << file << '\n';
    for (const ExportedSecret &secret : bundle->secrets) {
        if (!secret.variable.isEmpty())
            ctx.out << "  secret " << secret.setting << " <- ${env:" << secret.variable << "}\n";
    }
    ctx.out << "Run it with: gatehoused serve " << bundle->outDir << '\n';
    if (!request.dockerfile.isEmpty()) {
        if (const int code = writeDockerfile(ctx, request, *bundle); code != kExitOk)
            return code;
    }
    if (!request.imageFile.isEmpty()) {
        if (const int code = writeImage(ctx, request, *bundle); code != kExitOk)
            return code;
    }
    return request.k8sDir.isEmpty() ? kExitOk : writeManifests(ctx, request, *bundle);
}

} // namespace Gatehouse::Cli
