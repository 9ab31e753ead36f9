// An OCI container image of a bundle, written in-process as an oci-archive (also docker-loadable).
#include "ociimage.h"

#include "elfdependencies.h"
#include "gzipdevice.h"
#include "tarwriter.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLibraryInfo>
#include <QSaveFile>
#include <QTemporaryFile>

#include <map>

namespace Gatehouse {

namespace {

const QString kEpoch = QStringLiteral("1970-01-01T00:00:00Z");
const QString kManifestType = QStringLiteral("application/vnd.oci.image.manifest.v1+json");

struct LayerEntry
{
    QString source;        // a file to copy; empty with `content` or for a directory
    QByteArray content;
    bool directory = false;
    int mode = 0644;
    TarOwner owner;
};

using Layer = std::map<QString, LayerEntry>;   // sorted by path: the tar's order

QString relativeInImage(const QString &absolute)
{
    return QDir::cleanPath(absolute).mid(1);
}

void addParents(Layer &layer, const QString &path)
{
    for (qsizetype slash = path.indexOf(u'/'); slash > 0; slash = path.indexOf(u'/', slash + 1)) {
        LayerEntry dir;
        dir.directory = true;
        dir.mode = 0755;
        layer.emplace(path.left(slash), dir);   // keeps an entry added before (its mode and owner)
    }
}

void addFile(Layer &layer, const QString &path, const QString &source, int mode)
{
    addParents(layer, path);
    layer[path] = LayerEntry{source, {}, false, mode, {}};
}

void addContent(Layer &layer, const QString &path, const QByteArray &content, int mode = 0644)
{
    addParents(layer, path);
    layer[path] = LayerEntry{{}, content, false, mode, {}};
}

QString digestOf(const QByteArray &bytes)
{
    return QStringLiteral("sha256:")
           + QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QString hexOf(const QString &digest)
{
    return digest.mid(7);
}

Result<Layer> layerContents(const ImageOptions &options)
{
    QStringList roots{options.gatehousedPath};
    roots += options.pluginFiles;
    // Qt's OpenSSL backend loads libssl and libcrypto with dlopen(), so no DT_NEEDED names them.
    const Result<ElfClosure> closure = resolveElfClosure(roots, {QStringLiteral("libssl.so.3"), QStringLiteral("libcrypto.so.3")});
    if (!closure)
        return closure.error();
    Layer layer;
    if (closure->interpreter.isEmpty())
        return Error::config(QStringLiteral("%1 names no program interpreter").arg(options.gatehousedPath));
    addFile(layer, relativeInImage(closure->interpreter), closure->interpreter, 0755);
    for (const ElfLibrary &lib : closure->libraries)
        addFile(layer, relativeInImage(lib.path), lib.path, 0644);
    addFile(layer, QStringLiteral("usr/bin/gatehoused"), options.gatehousedPath, 0755);
    for (const QString &plugin : options.pluginFiles)
        addFile(layer, relativeInImage(plugin), plugin, 0644);
    if (!QFileInfo(options.caCertificates).isFile())
        return Error::io(QStringLiteral("no CA certificates at %1 (install ca-certificates)").arg(options.caCertificates));
    addFile(layer, QStringLiteral("etc/ssl/certs/ca-certificates.crt"), options.caCertificates, 0644);
    addContent(layer, QStringLiteral("etc/passwd"),
               QStringLiteral("root:x:0:0:root:/root:/usr/sbin/nologin\n"
                              "gatehouse:x:%1:%1:Gatehouse gateway:/srv/gatehouse:/usr/sbin/nologin\n")
                   .arg(kImageUid).toUtf8());
    addContent(layer, QStringLiteral("etc/group"), QStringLiteral("root:x:0:\ngatehouse:x:%1:\n").arg(kImageUid).toUtf8());
    // Upstreams named "localhost" resolve without DNS; other names through the files, then DNS.
    addContent(layer, QStringLiteral("etc/hosts"), "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
    addContent(layer, QStringLiteral("etc/nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files dns\n");
    layer[QStringLiteral("tmp")] = LayerEntry{{}, {}, true, 01777, {}};

    const QString bundle = relativeInImage(imageBundlePath());
    QDirIterator it(options.bundleDir, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString inImage = bundle + u'/' + QDir(options.bundleDir).relativeFilePath(path);
        if (QFileInfo(path).isDir()) {
            addParents(layer, inImage);
            layer[inImage] = LayerEntry{{}, {}, true, 0755, {}};
        } else {
            // Secret files of an --include-secrets bundle stay readable by the gateway's user only.
            const bool privateFile = !(QFile::permissions(path) & QFile::ReadOther);
            addFile(layer, inImage, path, privateFile ? 0600 : 0644);
            if (privateFile)
                layer[inImage].owner = {kImageUid, kImageUid};
        }
    }
    // The gateway generates its keys on first run (a self-signed HTTPS pair, the API-key signer).
    addParents(layer, bundle + QStringLiteral("/keys"));
    layer[bundle + QStringLiteral("/keys")] = LayerEntry{{}, {}, true, 0700, {kImageUid, kImageUid}};
    return layer;
}

Result<void> writeLayer(const Layer &layer, QIODevice &out, const std::function<void(int, int)> &progress)
{
    TarWriter tar(&out);
    int done = 0;
    for (const auto &[path, entry] : layer) {
        if (progress)
            progress(done++, int(layer.size()));
        Result<void> r;
        if (entry.directory) {
            r = tar.addDirectory(path, entry.mode, entry.owner);
        } else if (entry.source.isEmpty()) {
            r = tar.addFile(path, entry.content, entry.mode, entry.owner);
        } else {
            QFile file(entry.source);
            if (!file.open(QIODevice::ReadOnly))
                return Error::io(QStringLiteral("cannot read %1: %2").arg(entry.source, file.errorString()));
            r = tar.addFile(path, file, file.size(), entry.mode, entry.owner);
        }
        if (!r)
            return r;
    }
    return tar.finish();
}

QByteArray configJson(const ImageOptions &options, const QString &diffId, const QJsonObject &labels)
{
    QJsonObject ports;
    for (quint16 port : options.ports)
        ports.insert(QStringLiteral("%1/tcp").arg(port), QJsonObject());
    QJsonArray entrypoint;
    for (const QString &part : imageEntrypoint())
        entrypoint.append(part);
    const QJsonObject config{
        {QStringLiteral("User"), QStringLiteral("%1:%1").arg(kImageUid)},
        {QStringLiteral("ExposedPorts"), ports},
        {QStringLiteral("Env"), QJsonArray{QStringLiteral("PATH=/usr/bin"), QStringLiteral("HOME=/tmp"),
                                           QStringLiteral("SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"),
                                           QStringLiteral("GATEHOUSE_ADMIN_ADDRESS=0.0.0.0")}},
        {QStringLiteral("Entrypoint"), entrypoint},
        {QStringLiteral("WorkingDir"), imageBundlePath()},
        {QStringLiteral("StopSignal"), QStringLiteral("SIGTERM")},
        {QStringLiteral("Labels"), labels},
    };
    const QJsonObject image{
        {QStringLiteral("created"), kEpoch},
        {QStringLiteral("architecture"), QStringLiteral("amd64")},
        {QStringLiteral("os"), QStringLiteral("linux")},
        {QStringLiteral("config"), config},
        {QStringLiteral("rootfs"), QJsonObject{{QStringLiteral("type"), QStringLiteral("layers")},
                                               {QStringLiteral("diff_ids"), QJsonArray{diffId}}}},
        {QStringLiteral("history"), QJsonArray{QJsonObject{{QStringLiteral("created"), kEpoch},
                                                           {QStringLiteral("created_by"), QStringLiteral("gatehoused export --image")}}}},
    };
    return QJsonDocument(image).toJson(QJsonDocument::Compact);
}

QJsonObject descriptor(const QString &mediaType, const QString &digest, qint64 size)
{
    return {{QStringLiteral("mediaType"), mediaType}, {QStringLiteral("digest"), digest}, {QStringLiteral("size"), size}};
}

} // namespace

QString imageBundlePath()
{
    return QStringLiteral("/srv/gatehouse");
}

QStringList imageEntrypoint()
{
    return {QStringLiteral("/usr/bin/gatehoused"), QStringLiteral("serve"), imageBundlePath()};
}

QStringList qtTlsPlugins()
{
    const QString dir = QLibraryInfo::path(QLibraryInfo::PluginsPath) + QStringLiteral("/tls");
    QStringList out;
    for (const QString &name : QDir(dir).entryList({QStringLiteral("libqopensslbackend*.so")}, QDir::Files, QDir::Name))
        out.append(dir + u'/' + name);
    return out;
}

Result<ImageResult> writeOciImage(const ImageOptions &options)
{
    const Result<Layer> layer = layerContents(options);
    if (!layer)
        return layer.error();

    QTemporaryFile layerFile(options.outFile + QStringLiteral(".layer-XXXXXX"));
    if (!layerFile.open())
        return Error::io(QStringLiteral("cannot create a temporary file next to %1: %2").arg(options.outFile, layerFile.errorString()));
    GzipDevice gzip(&layerFile);
    if (auto r = writeLayer(*layer, gzip, options.progress); !r)
        return r.error();
    if (!gzip.finish() || !layerFile.flush())
        return Error::io(QStringLiteral("cannot write the layer: %1").arg(layerFile.errorString()));

    ImageResult result;
    result.layerEntries = int(layer->size());
    result.layerBytes = gzip.compressedSize();
    result.layerDigest = QStringLiteral("sha256:") + QString::fromLatin1(gzip.compressedSha256().toHex());
    const QString diffId = QStringLiteral("sha256:") + QString::fromLatin1(gzip.uncompressedSha256().toHex());

    const QJsonObject labels{
        {QStringLiteral("org.opencontainers.image.title"), options.name},
        {QStringLiteral("org.opencontainers.image.version"), options.tag},
        {QStringLiteral("org.opencontainers.image.created"), kEpoch},
        {QStringLiteral("org.opencontainers.image.description"),
         QStringLiteral("Gatehouse API gateway serving the bundle in %1").arg(imageBundlePath())},
        {QStringLiteral("io.gatehouse.version"), options.version},
        {QStringLiteral("io.gatehouse.healthcheck"), QStringLiteral("GET /health on the admin port answers 200")},
    };
    const QByteArray config = configJson(options, diffId, labels);
    const QString configDigest = digestOf(config);
    const QByteArray manifest = QJsonDocument(QJsonObject{
        {QStringLiteral("schemaVersion"), 2},
        {QStringLiteral("mediaType"), kManifestType},
        {QStringLiteral("config"), descriptor(QStringLiteral("application/vnd.oci.image.config.v1+json"), configDigest, config.size())},
        {QStringLiteral("layers"), QJsonArray{descriptor(QStringLiteral("application/vnd.oci.image.layer.v1.tar+gzip"),
                                                         result.layerDigest, result.layerBytes)}},
        {QStringLiteral("annotations"), labels},
    }).toJson(QJsonDocument::Compact);
    result.manifestDigest = digestOf(manifest);
    QJsonObject manifestDescriptor = descriptor(kManifestType, result.manifestDigest, manifest.size());
    manifestDescriptor.insert(QStringLiteral("annotations"),
                              QJsonObject{{QStringLiteral("org.opencontainers.image.ref.name"), options.tag},
                                          {QStringLiteral("io.containerd.image.name"), options.name + u':' + options.tag}});
    const QByteArray index = QJsonDocument(QJsonObject{
        {QStringLiteral("schemaVersion"), 2},
        {QStringLiteral("mediaType"), QStringLiteral("application/vnd.oci.image.index.v1+json")},
        {QStringLiteral("manifests"), QJsonArray{manifestDescriptor}},
    }).toJson(QJsonDocument::Compact);
    // docker load reads manifest.json (the layout docker save writes) next to the OCI files.
    const QByteArray dockerManifest = QJsonDocument(QJsonArray{QJsonObject{
        {QStringLiteral("Config"), QStringLiteral("blobs/sha256/") + hexOf(configDigest)},
        {QStringLiteral("RepoTags"), QJsonArray{options.name + u':' + options.tag}},
        {QStringLiteral("Layers"), QJsonArray{QStringLiteral("blobs/sha256/") + hexOf(result.layerDigest)}},
    }}).toJson(QJsonDocument::Compact);

    QSaveFile out(options.outFile);
    if (!out.open(QIODevice::WriteOnly))
        return Error::io(QStringLiteral("cannot write %1: %2").arg(options.outFile, out.errorString()));
    TarWriter archive(&out);
    std::map<QString, QByteArray> blobs{{hexOf(configDigest), config}, {hexOf(result.manifestDigest), manifest}};
    Result<void> r = archive.addDirectory(QStringLiteral("blobs"));
    if (r)
        r = archive.addDirectory(QStringLiteral("blobs/sha256"));
    const QString layerHex = hexOf(result.layerDigest);
    bool layerWritten = false;
    for (auto it = blobs.begin(); r && it != blobs.end(); ++it) {
        if (!layerWritten && layerHex < it->first) {
            layerFile.seek(0);
            r = archive.addFile(QStringLiteral("blobs/sha256/") + layerHex, layerFile, result.layerBytes);
            layerWritten = true;
            if (!r)
                break;
        }
        r = archive.addFile(QStringLiteral("blobs/sha256/") + it->first, it->second);
    }
    if (r && !layerWritten) {
        layerFile.seek(0);
        r = archive.addFile(QStringLiteral("blobs/sha256/") + layerHex, layerFile, result.layerBytes);
    }
    if (r)
        r = archive.addFile(QStringLiteral("index.json"), index);
    if (r)
        r = archive.addFile(QStringLiteral("manifest.json"), dockerManifest);
    if (r)
        r = archive.addFile(QStringLiteral("oci-layout"), QByteArrayLiteral(R"({"imageLayoutVersion":"1.0.0"})"));
    if (r)
        r = archive.finish();
    if (!r)
        return r.error();
    if (!out.flush() || !out.commit())
        return Error::io(QStringLiteral("cannot write %1: %2").arg(options.outFile, out.errorString()));
    result.archiveBytes = archive.bytesWritten();
    return result;
}

} // namespace Gatehouse
