// gatehoused export --image: an OCI archive that skopeo reads and umoci unpacks into a root file
// system whose gatehoused runs (through its own loader and libraries) and serves the bundle; the
// same project gives the same digest.
#include "testgateway.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>

using namespace Gatehouse;
using namespace Gatehouse::Test;

namespace {

bool copyTree(const QString &from, const QString &to)
{
    QDirIterator it(from, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString source = it.next();
        const QString relative = QDir(from).relativeFilePath(source);
        if (relative.startsWith(QStringLiteral("keys/")))
            continue;   // keys of the source tree's own runs
        const QString target = to + u'/' + relative;
        if (!QDir().mkpath(QFileInfo(target).path()) || !QFile::copy(source, target))
            return false;
    }
    return true;
}

QByteArray fileSha256(const QString &path)
{
    QFile f(path);
    QCryptographicHash h(QCryptographicHash::Sha256);
    return f.open(QIODevice::ReadOnly) && h.addData(&f) ? h.result().toHex() : QByteArray();
}

QString digestIn(const QByteArray &out)
{
    return QRegularExpression(QStringLiteral("digest (sha256:[0-9a-f]{64})")).match(QString::fromUtf8(out)).captured(1);
}

} // namespace

class tst_ExportImage : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void exportingTwiceGivesTheSameDigest();
    void skopeoReadsTheArchive();
    void podmanLoadsTheArchive();
    void rootfsHoldsTheGatewayItsLibrariesAndTheBundle();
    void gatehousedRunsFromTheRootfs();
    void gatehousedServesTheBundleFromTheRootfs();
    void chrootRunsTheImage();

private:
    ProcessResult exportImage(const QString &name);
    QProcess *startFromRootfs(const QStringList &arguments);

    QTemporaryDir m_work;
    QString m_project;
    QString m_image;
    QString m_rootfs;
    ProcessResult m_first;
};

ProcessResult tst_ExportImage::exportImage(const QString &name)
{
    return runProcess(gatehousedPath(), {QStringLiteral("export"), m_project, QStringLiteral("--out"), m_work.filePath(name),
                                         QStringLiteral("--image"), m_work.filePath(name + QStringLiteral(".tar"))},
                      300'000);
}

void tst_ExportImage::initTestCase()
{
    if (gatehousedPath().isEmpty())
        QSKIP("GATEHOUSED is not set (ctest sets it)");
    for (const char *tool : {"skopeo", "umoci"}) {
        if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty())
            QSKIP(qPrintable(QStringLiteral("%1 is not installed (scripts/deps.sh installs it)").arg(QLatin1String(tool))));
    }
    m_project = m_work.filePath(QStringLiteral("petstore"));
    QVERIFY(copyTree(qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/resources/samples/petstore"), m_project));
    m_first = exportImage(QStringLiteral("first"));
    QVERIFY2(m_first.finished && m_first.exitCode == 0, qPrintable(m_first.describe()));
    m_image = m_work.filePath(QStringLiteral("first.tar"));
    qInfo("image: %lld bytes, %s", QFileInfo(m_image).size(), qPrintable(digestIn(m_first.out)));

    const QString layout = m_work.filePath(QStringLiteral("layout"));
    const ProcessResult copy = runProcess(QStringLiteral("skopeo"), {QStringLiteral("copy"), QStringLiteral("oci-archive:") + m_image,
                                                                     QStringLiteral("oci:") + layout + QStringLiteral(":latest")},
                                          120'000);
    QVERIFY2(copy.finished && copy.exitCode == 0, qPrintable(copy.describe()));
    const QString unpacked = m_work.filePath(QStringLiteral("unpacked"));
    const ProcessResult unpack = runProcess(QStringLiteral("umoci"), {QStringLiteral("unpack"), QStringLiteral("--rootless"),
                                                                      QStringLiteral("--image"), layout + QStringLiteral(":latest"), unpacked},
                                            120'000);
    QVERIFY2(unpack.finished && unpack.exitCode == 0, qPrintable(unpack.describe()));
    m_rootfs = unpacked + QStringLiteral("/rootfs");
}

void tst_ExportImage::exportingTwiceGivesTheSameDigest()
{
    const ProcessResult second = exportImage(QStringLiteral("second"));
    QVERIFY2(second.finished && second.exitCode == 0, qPrintable(second.describe()));
    QVERIFY(!digestIn(m_first.out).isEmpty());
    QCOMPARE(digestIn(second.out), digestIn(m_first.out));
    QCOMPARE(fileSha256(m_work.filePath(QStringLiteral("second.tar"))), fileSha256(m_image));
}

void tst_ExportImage::skopeoReadsTheArchive()
{
    const ProcessResult inspect = runProcess(QStringLiteral("skopeo"), {QStringLiteral("inspect"), QStringLiteral("oci-archive:") + m_image});
    QVERIFY2(inspect.finished && inspect.exitCode == 0, qPrintable(inspect.describe()));
    const QJsonObject info = QJsonDocument::fromJson(inspect.out).object();
    QCOMPARE(info.value(QStringLiteral("Architecture")).toString(), QStringLiteral("amd64"));
    QCOMPARE(info.value(QStringLiteral("Os")).toString(), QStringLiteral("linux"));
    QCOMPARE(info.value(QStringLiteral("Layers")).toArray().size(), 1);
    QCOMPARE(info.value(QStringLiteral("Digest")).toString(), digestIn(m_first.out));
    QCOMPARE(info.value(QStringLiteral("Labels")).toObject().value(QStringLiteral("org.opencontainers.image.title")).toString(),
             QStringLiteral("gatehouse/petstore"));

    const ProcessResult config = runProcess(QStringLiteral("skopeo"), {QStringLiteral("inspect"), QStringLiteral("--config"),
                                                                       QStringLiteral("oci-archive:") + m_image});
    QVERIFY2(config.finished && config.exitCode == 0, qPrintable(config.describe()));
    const QJsonObject c = QJsonDocument::fromJson(config.out).object().value(QStringLiteral("config")).toObject();
    QCOMPARE(c.value(QStringLiteral("Entrypoint")).toArray(),
             (QJsonArray{QStringLiteral("/usr/bin/gatehoused"), QStringLiteral("serve"), QStringLiteral("/srv/gatehouse")}));
    QCOMPARE(c.value(QStringLiteral("User")).toString(), QStringLiteral("10001:10001"));
    QCOMPARE(c.value(QStringLiteral("WorkingDir")).toString(), QStringLiteral("/srv/gatehouse"));
    const QJsonObject ports = c.value(QStringLiteral("ExposedPorts")).toObject();
    for (const char *port : {"9090/tcp", "9095/tcp", "9096/tcp"})
        QVERIFY2(ports.contains(QLatin1String(port)), port);
    QVERIFY(c.value(QStringLiteral("Env")).toArray().contains(QStringLiteral("GATEHOUSE_ADMIN_ADDRESS=0.0.0.0")));
    QCOMPARE(QJsonDocument::fromJson(config.out).object().value(QStringLiteral("created")).toString(),
             QStringLiteral("1970-01-01T00:00:00Z"));
}

// What `docker load` / `podman load -i` users do: podman (a container engine written by others)
// takes the archive into its own store, in a private root here, and reads back its config.
// (Running the container is not possible in every CI sandbox: the chroot tests below run it.)
void tst_ExportImage::podmanLoadsTheArchive()
{
    if (QStandardPaths::findExecutable(QStringLiteral("podman")).isEmpty())
        QSKIP("podman is not installed (scripts/deps.sh installs it)");
    const QStringList store{QStringLiteral("--root"), m_work.filePath(QStringLiteral("podman-root")),
                            QStringLiteral("--runroot"), m_work.filePath(QStringLiteral("podman-run")),
                            QStringLiteral("--storage-driver"), QStringLiteral("vfs")};
    const ProcessResult load = runProcess(QStringLiteral("podman"), store + QStringList{QStringLiteral("load"), QStringLiteral("-i"), m_image},
                                          180'000);
    QVERIFY2(load.finished && load.exitCode == 0, qPrintable(load.describe()));
    QVERIFY2(load.out.contains("Loaded image: localhost/gatehouse/petstore:latest"), qPrintable(load.describe()));
    const ProcessResult inspect = runProcess(QStringLiteral("podman"),
                                             store + QStringList{QStringLiteral("image"), QStringLiteral("inspect"),
                                                                 QStringLiteral("--format"),
                                                                 QStringLiteral("{{.Config.User}} {{json .Config.Entrypoint}}"),
                                                                 QStringLiteral("localhost/gatehouse/petstore:latest")});
    QVERIFY2(inspect.finished && inspect.exitCode == 0, qPrintable(inspect.describe()));
    QCOMPARE(inspect.out.trimmed(), QByteArray(R"(10001:10001 ["/usr/bin/gatehoused","serve","/srv/gatehouse"])"));
}

void tst_ExportImage::rootfsHoldsTheGatewayItsLibrariesAndTheBundle()
{
    for (const char *path : {"usr/bin/gatehoused", "lib64/ld-linux-x86-64.so.2", "lib/x86_64-linux-gnu/libc.so.6",
                             "lib/x86_64-linux-gnu/libQt6Core.so.6", "lib/x86_64-linux-gnu/libQt6Network.so.6",
                             "lib/x86_64-linux-gnu/libssl.so.3", "usr/lib/x86_64-linux-gnu/qt6/plugins/tls/libqopensslbackend.so",
                             "etc/ssl/certs/ca-certificates.crt", "etc/passwd", "etc/group", "srv/gatehouse/gatehouse.yaml",
                             "srv/gatehouse/apis/petstore.yaml", "srv/gatehouse/protos/greeter.proto",
                             "srv/gatehouse/gatehouse-bundle.json"})
        QVERIFY2(QFileInfo::exists(m_rootfs + u'/' + QLatin1String(path)), path);
    QVERIFY(QFileInfo(m_rootfs + QStringLiteral("/tmp")).isDir());
    QFile passwd(m_rootfs + QStringLiteral("/etc/passwd"));
    QVERIFY(passwd.open(QIODevice::ReadOnly));
    QVERIFY(passwd.readAll().contains("gatehouse:x:10001:10001:"));
    QVERIFY(!QFileInfo::exists(m_rootfs + QStringLiteral("/srv/gatehouse/keys/tls.key")));
}

QProcess *tst_ExportImage::startFromRootfs(const QStringList &arguments)
{
    auto *p = new QProcess(this);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_PLUGIN_PATH"), m_rootfs + QStringLiteral("/usr/lib/x86_64-linux-gnu/qt6/plugins"));
    p->setProcessEnvironment(env);
    // The image's own loader and libraries, nothing of the host's (--inhibit-cache: no ld.so.cache).
    p->start(m_rootfs + QStringLiteral("/lib64/ld-linux-x86-64.so.2"),
             QStringList{QStringLiteral("--inhibit-cache"), QStringLiteral("--library-path"),
                         m_rootfs + QStringLiteral("/lib/x86_64-linux-gnu"), m_rootfs + QStringLiteral("/usr/bin/gatehoused")}
                 + arguments);
    return p;
}

void tst_ExportImage::gatehousedRunsFromTheRootfs()
{
    QProcess *p = startFromRootfs({QStringLiteral("--version")});
    QVERIFY(p->waitForFinished(30'000));
    QCOMPARE(p->exitCode(), 0);
    QVERIFY2(p->readAllStandardOutput().startsWith("gatehoused "), p->readAllStandardError().constData());
}

void tst_ExportImage::gatehousedServesTheBundleFromTheRootfs()
{
    // A copy: the first run writes keys into the bundle, as it would in the container.
    const QString bundle = m_work.filePath(QStringLiteral("served"));
    QVERIFY(copyTree(m_rootfs + QStringLiteral("/srv/gatehouse"), bundle));
    qputenv("GATEHOUSE_USER_DEMO_PASSWORD_HASH",
            "pbkdf2-sha256$600000$11l6DsLF+vX+F4v6OKxIcg$DSOBbM7NvYi6AOK7V1wFnNApjIVL0Y7IMDEwAbE9vMk");
    qputenv("GATEHOUSE_ADMIN_PASSWORD", "image-test");
    QProcess *p = startFromRootfs({QStringLiteral("serve"), bundle, QStringLiteral("--http-port"), QStringLiteral("0"),
                                   QStringLiteral("--https-port"), QStringLiteral("0"), QStringLiteral("--admin-port"),
                                   QStringLiteral("0"), QStringLiteral("--workers"), QStringLiteral("1")});
    QByteArray out;
    QVERIFY(waitUntil([&] { out += p->readAllStandardOutput(); return out.contains("admin  http") || p->state() == QProcess::NotRunning; },
                      30'000));
    const QRegularExpressionMatch admin = QRegularExpression(QStringLiteral("admin +http://127\\.0\\.0\\.1:(\\d+)/")).match(QString::fromUtf8(out));
    QVERIFY2(admin.hasMatch(), (out + p->readAllStandardError()).constData());
    const QRegularExpressionMatch https = QRegularExpression(QStringLiteral("https +port (\\d+)")).match(QString::fromUtf8(out));
    QCOMPARE(httpRequest(quint16(admin.captured(1).toUInt()), "GET", "/health").status, 200);
    // TLS through the image's OpenSSL backend plugin.
    QVERIFY(https.hasMatch());
    const HttpResponse r = httpRequest(quint16(https.captured(1).toUInt()), "GET", "/nowhere", {}, {}, true);
    QVERIFY2(r.complete && r.status == 404, qPrintable(r.describe()));
    p->terminate();
    QVERIFY(p->waitForFinished(30'000));
    QCOMPARE(p->exitCode(), 0);
}

void tst_ExportImage::chrootRunsTheImage()
{
    // The sanitizer runtime reads its options from /proc/self/environ and LeakSanitizer walks
    // /proc/<pid>/task at exit; the image's root has no /proc, so a sanitized gatehoused ends with
    // "LeakSanitizer has encountered a fatal error" there whatever ASAN_OPTIONS says.
    if (kAddressSanitizer)
        QSKIP("a sanitized gatehoused cannot run where there is no /proc; the build without sanitizers runs this");
    const ProcessResult r = runProcess(QStringLiteral("chroot"), {m_rootfs, QStringLiteral("/usr/bin/gatehoused"), QStringLiteral("--version")});
    if (r.err.contains("Operation not permitted"))
        QSKIP("chroot is not permitted here (needs CAP_SYS_CHROOT); the loader test above ran the same files");
    QVERIFY2(r.finished && r.exitCode == 0 && r.out.startsWith("gatehoused "), qPrintable(r.describe()));

    // Nothing of the host is visible now: the image's libraries, TLS plugin and libssl serve HTTPS.
    qputenv("GATEHOUSE_USER_DEMO_PASSWORD_HASH",
            "pbkdf2-sha256$600000$11l6DsLF+vX+F4v6OKxIcg$DSOBbM7NvYi6AOK7V1wFnNApjIVL0Y7IMDEwAbE9vMk");
    qputenv("GATEHOUSE_ADMIN_PASSWORD", "image-test");
    QProcess p;
    p.start(QStringLiteral("chroot"), {m_rootfs, QStringLiteral("/usr/bin/gatehoused"), QStringLiteral("serve"), QStringLiteral("/srv/gatehouse"),
                                       QStringLiteral("--http-port"), QStringLiteral("0"), QStringLiteral("--https-port"), QStringLiteral("0"),
                                       QStringLiteral("--admin-port"), QStringLiteral("0"), QStringLiteral("--workers"), QStringLiteral("1")});
    QByteArray out;
    QVERIFY(waitUntil([&] { out += p.readAllStandardOutput(); return out.contains("admin  http") || p.state() == QProcess::NotRunning; },
                      30'000));
    const QString text = QString::fromUtf8(out);
    const QRegularExpressionMatch admin = QRegularExpression(QStringLiteral("admin +http://127\\.0\\.0\\.1:(\\d+)/")).match(text);
    const QRegularExpressionMatch https = QRegularExpression(QStringLiteral("https +port (\\d+)")).match(text);
    QVERIFY2(admin.hasMatch() && https.hasMatch(), (out + p.readAllStandardError()).constData());
    QCOMPARE(httpRequest(quint16(admin.captured(1).toUInt()), "GET", "/health").status, 200);
    const HttpResponse tls = httpRequest(quint16(https.captured(1).toUInt()), "GET", "/nowhere", {}, {}, true);
    QVERIFY2(tls.complete && tls.status == 404, qPrintable(tls.describe()));
    p.terminate();
    QVERIFY(p.waitForFinished(30'000));
}

QTEST_GUILESS_MAIN(tst_ExportImage)
#include "tst_exportimage.moc"
