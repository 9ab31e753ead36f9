// Diagnostics print as file:line:col: severity: message and sort by place.
#include "base/diagnostic.h"

#include <QTest>

using namespace Gatehouse;

class tst_Diagnostic : public QObject
{
    Q_OBJECT
private slots:
    void format_data();
    void format();
    void countsAndSort();
};

void tst_Diagnostic::format_data()
{
    QTest::addColumn<Diagnostic>("diagnostic");
    QTest::addColumn<QString>("expected");
    QTest::newRow("error with line and column")
        << Diagnostic{Severity::Error, {QStringLiteral("apis/a.yaml"), 14, 7}, QStringLiteral("bad")}
        << QStringLiteral("apis/a.yaml:14:7: error: bad");
    QTest::newRow("warning with line only")
        << Diagnostic{Severity::Warning, {QStringLiteral("gatehouse.yaml"), 3, 0}, QStringLiteral("w")}
        << QStringLiteral("gatehouse.yaml:3: warning: w");
    QTest::newRow("file without position")
        << Diagnostic{Severity::Note, {QStringLiteral("protos/x.proto"), 0, 0}, QStringLiteral("n")}
        << QStringLiteral("protos/x.proto: note: n");
    QTest::newRow("no location at all")
        << Diagnostic{Severity::Error, {}, QStringLiteral("project folder not found")}
        << QStringLiteral("error: project folder not found");
}

void tst_Diagnostic::format()
{
    QFETCH(Diagnostic, diagnostic);
    QFETCH(QString, expected);
    QCOMPARE(diagnostic.toString(), expected);
}

void tst_Diagnostic::countsAndSort()
{
    Diagnostics d;
    d.warning({QStringLiteral("b.yaml"), 2, 1}, QStringLiteral("second file"));
    d.error({QStringLiteral("a.yaml"), 9, 1}, QStringLiteral("later line"));
    d.error({QStringLiteral("a.yaml"), 3, 5}, QStringLiteral("earlier line"));
    QCOMPARE(d.errorCount(), 2);
    QCOMPARE(d.warningCount(), 1);
    QVERIFY(d.hasErrors());
    d.sort();
    QCOMPARE(d.items().at(0).message, QStringLiteral("earlier line"));
    QCOMPARE(d.items().at(2).message, QStringLiteral("second file"));
}

QTEST_GUILESS_MAIN(tst_Diagnostic)
#include "tst_diagnostic.moc"
