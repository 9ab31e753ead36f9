// Completion of Gatehouse's gRPC options in a .proto editor: what is offered where (rows read as
// sentences), and the popup in a real editor inserting the choice in place of what was typed.
#include "codeeditor.h"
#include "protocompletion.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QTest>

using namespace Gatehouse;

class tst_ProtoCompletion : public QObject
{
    Q_OBJECT
private slots:
    void offers_data();
    void offers();
    void popupInsertsTheChoice();
    void ctrlSpaceAsksExplicitly();
};

static const char kService[] = R"(syntax = "proto3";
package demo;
import "gatehouse/options.proto";
// option (gatehouse.method) in a comment does not count
service Shop {
)";

void tst_ProtoCompletion::offers_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("candidates");
    QTest::addColumn<QString>("prefix");
    auto s = [](const char *t) { return QString::fromUtf8(kService) + QString::fromUtf8(t); };
    const QStringList tiers{QStringLiteral("Gold"), QStringLiteral("Silver")};
    QTest::newRow("the service option inside a service")
        << s("  option (") << QStringList{QStringLiteral("gatehouse.service")} << QString();
    QTest::newRow("the method option inside an rpc")
        << s("  rpc Buy(A) returns (B) {\n    option (gate") << QStringList{QStringLiteral("gatehouse.method")}
        << QStringLiteral("gate");
    QTest::newRow("the service option's fields")
        << s("  option (gatehouse.service) = {\n    ")
        << QStringList{QStringLiteral("security"), QStringLiteral("throttling_tier"),
                       QStringLiteral("endpoints"), QStringLiteral("sandbox_endpoints")}
        << QString();
    QTest::newRow("the method option's fields after another field")
        << s("  rpc Buy(A) returns (B) {\n    option (gatehouse.method) = { scopes: \"a\" thr")
        << QStringList{QStringLiteral("scopes"), QStringLiteral("throttling_tier")} << QStringLiteral("thr");
    QTest::newRow("security schemes inside the list")
        << s("  option (gatehouse.service) = {\n    security: [JWT, ")
        << QStringList{QStringLiteral("JWT"), QStringLiteral("OAUTH2"), QStringLiteral("APIKEY"),
                       QStringLiteral("BASIC"), QStringLiteral("NONE")}
        << QString();
    QTest::newRow("the project's tiers inside the quotes")
        << s("  option (gatehouse.service) = {\n    throttling_tier: \"Go") << tiers << QStringLiteral("Go");
    QTest::newRow("endpoint fields inside endpoints")
        << s("  option (gatehouse.service) = {\n    endpoints {\n      ")
        << QStringList{QStringLiteral("urls"), QStringLiteral("type"), QStringLiteral("timeout_ms")}
        << QString();
    QTest::newRow("endpoint strategies after type")
        << s("  option (gatehouse.service) = {\n    endpoints { type: ")
        << QStringList{QStringLiteral("LOAD_BALANCE"), QStringLiteral("FAILOVER")} << QString();
    QTest::newRow("nothing after a closed option")
        << s("  option (gatehouse.service) = { security: [JWT] };\n  ") << QStringList() << QString();
    QTest::newRow("nothing inside a message")
        << QStringLiteral("message M {\n  string ") << QStringList() << QString();
    QTest::newRow("nothing inside a comment")
        << s("  option (gatehouse.service) = {\n    // sec") << QStringList() << QStringLiteral("sec");
    QTest::newRow("nothing in another string")
        << s("  option (gatehouse.service) = {\n    endpoints { urls: \"http") << QStringList()
        << QStringLiteral("http");
}

void tst_ProtoCompletion::offers()
{
    QFETCH(QString, text);
    QFETCH(QStringList, candidates);
    QFETCH(QString, prefix);
    const ProtoCompletions found
        = protoCompletions(text, {QStringLiteral("Gold"), QStringLiteral("Silver")});
    QCOMPARE(found.candidates, candidates);
    if (!candidates.isEmpty())
        QCOMPARE(found.prefix, prefix);
}

void tst_ProtoCompletion::popupInsertsTheChoice()
{
    CodeEditor editor;
    editor.setFilePath(QStringLiteral("/p/protos/shop.proto"), QStringLiteral("/p"));
    auto *completion = new ProtoCompletion(&editor);
    completion->setTiers({QStringLiteral("Gold"), QStringLiteral("Silver")});
    editor.resize(600, 400);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    editor.setFocus();
    editor.setPlainText(QString::fromUtf8(kService));
    editor.moveCursor(QTextCursor::End);

    QTest::keyClicks(&editor, QStringLiteral("  option ("));
    QTRY_VERIFY(completion->completer()->popup()->isVisible());
    QCOMPARE(completion->completer()->currentCompletion(), QStringLiteral("gatehouse.service"));
    QTest::keyClick(completion->completer()->popup(), Qt::Key_Return);
    QVERIFY(!completion->completer()->popup()->isVisible());
    QVERIFY2(editor.toPlainText().endsWith(QStringLiteral("  option (gatehouse.service")),
             qPrintable(editor.toPlainText()));

    QTest::keyClicks(&editor, QStringLiteral(") = { throttling_tier: \"S"));
    QTRY_VERIFY(completion->completer()->popup()->isVisible());
    QCOMPARE(completion->completer()->currentCompletion(), QStringLiteral("Silver"));
    QTest::keyClick(completion->completer()->popup(), Qt::Key_Tab);
    QVERIFY2(editor.toPlainText().endsWith(QStringLiteral("throttling_tier: \"Silver")),
             qPrintable(editor.toPlainText()));

    QTest::keyClicks(&editor, QStringLiteral("\" sec"));
    QTRY_VERIFY(completion->completer()->popup()->isVisible());
    QTest::keyClick(completion->completer()->popup(), Qt::Key_Escape);
    QVERIFY(!completion->completer()->popup()->isVisible());
    QVERIFY(editor.toPlainText().endsWith(QStringLiteral("\" sec")));   // Esc leaves the text
}

void tst_ProtoCompletion::ctrlSpaceAsksExplicitly()
{
    CodeEditor editor;
    editor.setFilePath(QStringLiteral("/p/protos/shop.proto"), QStringLiteral("/p"));
    auto *completion = new ProtoCompletion(&editor);
    QCOMPARE(ProtoCompletion::of(&editor), completion);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    editor.setPlainText(QString::fromUtf8(kService) + QStringLiteral("  option (gatehouse.service) = {\n    "));
    editor.moveCursor(QTextCursor::End);
    editor.setFocus();
    QVERIFY(!completion->completer()->popup()->isVisible());
    QTest::keyClick(&editor, Qt::Key_Space, Qt::ControlModifier);
    QTRY_VERIFY(completion->completer()->popup()->isVisible());
    QCOMPARE(completion->completer()->completionCount(), 4);
}

QTEST_MAIN(tst_ProtoCompletion)
#include "tst_protocompletion.moc"
