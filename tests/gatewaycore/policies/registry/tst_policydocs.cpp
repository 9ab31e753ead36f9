// docs/policies.md is generated from the registry: this test fails when the checked-in file is
// stale, and rewrites it with GATEHOUSE_UPDATE_DOCS=1.
#include "policies/registry/policyregistry.h"

#include <QFile>
#include <QTest>

using namespace Gatehouse;

class tst_PolicyDocs : public QObject
{
    Q_OBJECT
private slots:
    void docsMatchTheRegistry();
};

void tst_PolicyDocs::docsMatchTheRegistry()
{
    const QString source = qEnvironmentVariable("GATEHOUSE_SOURCE_DIR");
    QVERIFY2(!source.isEmpty(), "GATEHOUSE_SOURCE_DIR is not set (run through ctest)");
    const QString path = source + QStringLiteral("/docs/policies.md");
    const QByteArray expected = PolicyRegistry::builtin().markdown().toUtf8();
    if (qEnvironmentVariableIsSet("GATEHOUSE_UPDATE_DOCS")) {
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(out.write(expected), expected.size());
        return;
    }
    QFile in(path);
    QVERIFY2(in.open(QIODevice::ReadOnly), qPrintable(path + QStringLiteral(" is missing: run GATEHOUSE_UPDATE_DOCS=1 ctest -R tst_policydocs")));
    QVERIFY2(in.readAll() == expected, "docs/policies.md is stale: run GATEHOUSE_UPDATE_DOCS=1 ctest -R tst_policydocs");
}

QTEST_GUILESS_MAIN(tst_PolicyDocs)
#include "tst_policydocs.moc"
