// dockerfileText: the Dockerfile for a bundle says what the OCI image of the same bundle holds (user,
// paths, entrypoint, environment, ports), lists every variable the bundle reads, and its runtime
// stage installs packages that provide every shared library gatehoused loads. Docker is not needed.
#include "export/bundlewriter.h"
#include "export/dockerfile.h"
#include "export/elfdependencies.h"
#include "export/ociimage.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

class tst_Dockerfile : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void matchesTheBundleAndTheImage();
    void projectTextCannotEscapeItsLine();
    void runtimePackagesProvideEveryLibrary();

private:
    QTemporaryDir m_tmp;
    BundleResult m_bundle;
    QByteArray m_text;
};

static QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The value of the first instruction `name` (continuation lines joined).
static QString instruction(const QByteArray &dockerfile, const QString &name, int occurrence = 0)
{
    QString text = QString::fromUtf8(dockerfile);
    text.replace(QRegularExpression(QStringLiteral("\\\\\\n\\s*")), QStringLiteral(" "));
    int seen = 0;
    for (const QString &line : text.split(u'\n')) {
        if (line.startsWith(name + u' ') && seen++ == occurrence)
            return line.mid(name.size() + 1).trimmed();
    }
    return {};
}

void tst_Dockerfile::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    BundleOptions options;
    options.projectDir = qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/resources/samples/petstore");
    options.outDir = m_tmp.filePath(QStringLiteral("bundle"));
    Diagnostics d;
    Result<BundleResult> bundle = writeBundle(options, d);
    QVERIFY2(bundle, qPrintable(d.toString()));
    m_bundle = *bundle;
    m_text = dockerfileText(dockerfileOptions(m_bundle, QStringLiteral("1.2.3")));
}

void tst_Dockerfile::matchesTheBundleAndTheImage()
{
    // The image writer's configuration for the same bundle. Its config does not depend on the binary
    // shipped, so a small one (true(1), only libc) stands in for gatehoused to keep the test fast.
    ImageOptions image;
    image.bundleDir = m_bundle.outDir;
    image.outFile = m_tmp.filePath(QStringLiteral("image.tar"));
    image.gatehousedPath = QStandardPaths::findExecutable(QStringLiteral("true"));
    QVERIFY(!image.gatehousedPath.isEmpty());
    image.name = QStringLiteral("gatehouse/petstore");
    image.version = QStringLiteral("1.2.3");
    for (quint16 port : {m_bundle.httpPort, m_bundle.httpsPort, m_bundle.adminPort})
        image.ports.append(port);
    const Result<ImageResult> written = writeOciImage(image);
    QVERIFY2(written, written ? "" : qPrintable(written.error().message));
    const QString layout = m_tmp.filePath(QStringLiteral("layout"));
    QDir().mkpath(layout);
    QProcess tar;
    tar.start(QStringLiteral("tar"), {QStringLiteral("-xf"), image.outFile, QStringLiteral("-C"), layout});
    QVERIFY(tar.waitForFinished(60000) && tar.exitCode() == 0);
    auto blob = [&](const QString &digest) {
        return QJsonDocument::fromJson(readAll(layout + QStringLiteral("/blobs/sha256/") + digest.mid(7))).object();
    };
    const QJsonObject index = QJsonDocument::fromJson(readAll(layout + QStringLiteral("/index.json"))).object();
    const QJsonObject manifest = blob(index[u"manifests"][0][u"digest"].toString());
    const QJsonObject config = blob(manifest[u"config"][u"digest"].toString())[u"config"].toObject();
    QVERIFY(!config.isEmpty());

    // Two stages: the build on debian:12, the runtime on debian:12-slim.
    QCOMPARE(instruction(m_text, QStringLiteral("FROM")), QStringLiteral("debian:12 AS build"));
    QCOMPARE(instruction(m_text, QStringLiteral("FROM"), 1), QStringLiteral("debian:12-slim"));
    QVERIFY(instruction(m_text, QStringLiteral("RUN"), 1).contains(QStringLiteral("-DGATEHOUSE_BUILD_GUI=OFF")));

    QStringList entrypoint;
    for (const QJsonValue &v : config[u"Entrypoint"].toArray())
        entrypoint.append(u'"' + v.toString() + u'"');
    QCOMPARE(instruction(m_text, QStringLiteral("ENTRYPOINT")), u'[' + entrypoint.join(QStringLiteral(", ")) + u']');
    QCOMPARE(instruction(m_text, QStringLiteral("USER")), config[u"User"].toString());
    QCOMPARE(instruction(m_text, QStringLiteral("WORKDIR"), 1), config[u"WorkingDir"].toString());
    QCOMPARE(instruction(m_text, QStringLiteral("STOPSIGNAL")), config[u"StopSignal"].toString());
    QStringList exposed;
    const QJsonObject exposedPorts = config[u"ExposedPorts"].toObject();
    for (const QString &port : exposedPorts.keys())
        exposed.append(port.section(u'/', 0, 0));
    QStringList ours = instruction(m_text, QStringLiteral("EXPOSE")).split(u' ');
    exposed.sort();
    ours.sort();
    QCOMPARE(ours, exposed);
    QCOMPARE(ours.size(), 3);
    // Every variable of the image's Env except PATH (the base image's own) is set the same way.
    const QString env = instruction(m_text, QStringLiteral("ENV"));
    for (const QJsonValue &v : config[u"Env"].toArray()) {
        if (!v.toString().startsWith(u"PATH="))
            QVERIFY2(env.contains(v.toString()), qPrintable(v.toString()));
    }
    // The bundle lands where the image keeps it, and the user owns keys/ as in the image.
    QCOMPARE(instruction(m_text, QStringLiteral("COPY"), 2), QStringLiteral("--from=bundle --chown=0:0 . ") + imageBundlePath());
    QVERIFY(m_text.contains(QStringLiteral("useradd --system --uid %1").arg(kImageUid).toUtf8()));
    QVERIFY(m_text.contains(QStringLiteral("chown %1:%1 %2/keys").arg(kImageUid).arg(imageBundlePath()).toUtf8()));
    // Every variable the bundle reads is named, secrets marked, and no secret gets a value here.
    QVERIFY(!m_bundle.variables.isEmpty());
    for (const EnvironmentVariable &v : m_bundle.variables) {
        QVERIFY2(m_text.contains((QStringLiteral("#   ") + v.name).toUtf8()), qPrintable(v.name));
        QVERIFY(!env.contains(v.name + u'=') || v.name == u"GATEHOUSE_ADMIN_ADDRESS");
    }
    QVERIFY(m_text.contains("(secret)"));
    QVERIFY(m_text.contains("org.opencontainers.image.title=\"" + m_bundle.name.toUtf8() + '"'));
}

void tst_Dockerfile::projectTextCannotEscapeItsLine()
{
    DockerfileOptions options;
    options.name = QStringLiteral("evil\"\nRUN rm -rf / %7");
    options.version = QStringLiteral("1");
    options.ports = {9090};
    options.variables = {{QStringLiteral("X"), QStringLiteral("two\nlines"), {}, false}};
    const QByteArray text = dockerfileText(options);
    QVERIFY(!text.contains("\nRUN rm"));
    QVERIFY(text.contains("evil\\\" RUN rm -rf / %7"));   // quoted, on its line, %7 not substituted
    QVERIFY(text.contains("#   X - two lines\n"));
}

void tst_Dockerfile::runtimePackagesProvideEveryLibrary()
{
    const QString gatehoused = qEnvironmentVariable("GATEHOUSED");
    if (gatehoused.isEmpty() || QStandardPaths::findExecutable(QStringLiteral("dpkg-query")).isEmpty())
        QSKIP("needs GATEHOUSED (set by ctest) and dpkg-query (Debian)");
    const Result<ElfClosure> closure = resolveElfClosure(QStringList{gatehoused} + qtTlsPlugins(), {QStringLiteral("libssl.so.3")});
    QVERIFY2(closure, closure ? "" : qPrintable(closure.error().message));

    // The runtime packages and everything apt installs with them (Depends and Pre-Depends).
    QSet<QString> installed;
    QStringList queue = dockerRuntimePackages();
    while (!queue.isEmpty()) {
        const QString package = queue.takeFirst();
        if (installed.contains(package))
            continue;
        installed.insert(package);
        QProcess q;
        q.start(QStringLiteral("dpkg-query"), {QStringLiteral("-W"), QStringLiteral("-f=${Pre-Depends}, ${Depends}"), package});
        QVERIFY(q.waitForFinished(30000));
        QVERIFY2(q.exitCode() == 0, qPrintable(QStringLiteral("%1 is not a package installed here").arg(package)));
        for (const QString &dependency : QString::fromUtf8(q.readAllStandardOutput()).split(u',', Qt::SkipEmptyParts)) {
            for (const QString &alternative : dependency.split(u'|')) {
                const QString name = alternative.trimmed().section(u' ', 0, 0).section(u':', 0, 0);
                if (!name.isEmpty())
                    queue.append(name);
            }
        }
    }
    // debian:12-slim already has the essential set (libc6, libstdc++6, libgcc-s1 ...).
    for (const char *essential : {"libc6", "libgcc-s1", "libstdc++6"})
        installed.insert(QString::fromLatin1(essential));
    for (const ElfLibrary &library : closure->libraries) {
        // dpkg knows a file by the path its package ships: with or without the /usr of usrmerge.
        QString owner;
        const QString canonical = QFileInfo(library.path).canonicalFilePath();
        for (const QString &path : {library.path, canonical, canonical.startsWith(u"/usr/") ? canonical.mid(4) : canonical}) {
            QProcess s;
            s.start(QStringLiteral("dpkg-query"), {QStringLiteral("-S"), path});
            QVERIFY(s.waitForFinished(30000));
            owner = QString::fromUtf8(s.readAllStandardOutput()).section(u':', 0, 0).trimmed();
            if (!owner.isEmpty())
                break;
        }
        QVERIFY2(!owner.isEmpty(), qPrintable(library.path + QStringLiteral(" belongs to no package")));
        QVERIFY2(installed.contains(owner), qPrintable(QStringLiteral("%1 (package %2) is not installed by the Dockerfile")
                                                           .arg(library.path, owner)));
    }
}

QTEST_GUILESS_MAIN(tst_Dockerfile)
#include "tst_dockerfile.moc"
