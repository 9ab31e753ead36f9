// The services table over the petstore sample's greeter.proto in a copy of the sample project: it
// shows what the options say (inherited values greyed), an edit in a cell writes the option into
// the text as one undo step and reads back, and broken text keeps the last good table.
#include "codeeditor.h"
#include "protoliveparser.h"
#include "protoservicesview.h"

#include "project/project.h"

#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Gatehouse;

class tst_ProtoServicesView : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void showsServicesMethodsAndWhatTheyInherit();
    void editingScopesInTheTableWritesTheOptionAsOneUndoStep();
    void aTierForAMethodWithoutBodyIsReadBack();
    void aBrokenFileIsReportedAtItsLineAndTheTableStays();
    void aFileThatNeverParsedIsNotCalledStale();
    void anUnknownTierIsUnderlinedFromTheProjectCheck();
    void aRefusedValueIsShownAndLeavesTheTextAlone();

private:
    const GrpcMethod *method(const QString &name) const;
    void waitForParse(int after);

    QTemporaryDir m_dir;
    QString m_text;
    Project m_project;
    std::unique_ptr<CodeEditor> m_editor;
    std::unique_ptr<ProtoServicesView> m_view;
    ProtoLiveParser *m_parser = nullptr;
};

void tst_ProtoServicesView::initTestCase()
{
    const QString sample = qEnvironmentVariable("GATEHOUSE_SOURCE_DIR")
                           + QStringLiteral("/resources/samples/petstore/");
    QFile proto(sample + QStringLiteral("protos/greeter.proto"));
    QVERIFY(proto.open(QIODevice::ReadOnly));
    m_text = QString::fromUtf8(proto.readAll());
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("protos")));
    QVERIFY(QFile::copy(sample + QStringLiteral("gatehouse.yaml"), m_dir.filePath(QStringLiteral("gatehouse.yaml"))));
    QFile out(m_dir.filePath(QStringLiteral("protos/greeter.proto")));
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(m_text.toUtf8());
    out.close();
    Diagnostics diagnostics;
    m_project = Project::load(m_dir.path(), diagnostics);
    QVERIFY2(!diagnostics.hasErrors(), qPrintable(diagnostics.toString()));
}

void tst_ProtoServicesView::init()
{
    m_editor = std::make_unique<CodeEditor>();
    m_editor->setFilePath(m_dir.filePath(QStringLiteral("protos/greeter.proto")), m_dir.path());
    m_editor->setPlainText(m_text);
    m_editor->document()->setModified(false);
    m_parser = new ProtoLiveParser(m_editor.get());
    m_parser->setDelay(std::chrono::milliseconds(10));
    m_parser->setProject(m_project);
    m_view = std::make_unique<ProtoServicesView>();
    m_view->setTiers(m_project.settings.throttling.tiers.keys());
    m_view->setEditor(m_editor.get());
    QTRY_VERIFY(m_parser->hasParsed());
    QTRY_VERIFY(m_view->item(QStringLiteral("helloworld.Greeter")) != nullptr);
}

void tst_ProtoServicesView::cleanup()
{
    m_view.reset();
    m_editor.reset();
}

const GrpcMethod *tst_ProtoServicesView::method(const QString &name) const
{
    for (const GrpcService &service : m_parser->services())
        for (const GrpcMethod &m : service.methods)
            if (m.name == name)
                return &m;
    return nullptr;
}

void tst_ProtoServicesView::waitForParse(int after)
{
    QTRY_VERIFY(m_parser->parseCount() > after && !m_parser->isBusy());
}

void tst_ProtoServicesView::showsServicesMethodsAndWhatTheyInherit()
{
    QTreeWidgetItem *service = m_view->item(QStringLiteral("helloworld.Greeter"));
    QCOMPARE(service->childCount(), 3);
    QCOMPARE(service->text(ProtoServicesView::SecurityColumn), QStringLiteral("JWT, OAUTH2"));
    QCOMPARE(service->text(ProtoServicesView::TierColumn), QStringLiteral("Gold"));

    QTreeWidgetItem *hello = m_view->item(QStringLiteral("helloworld.Greeter"), QStringLiteral("SayHello"));
    QCOMPARE(hello->text(ProtoServicesView::KindColumn), QStringLiteral("unary"));
    QCOMPARE(hello->text(ProtoServicesView::ScopesColumn), QStringLiteral("greet:read"));
    QCOMPARE(hello->text(ProtoServicesView::TierColumn), QStringLiteral("Gold"));   // the service's
    QVERIFY(hello->font(ProtoServicesView::TierColumn).italic());
    QVERIFY(hello->data(ProtoServicesView::TierColumn, ProtoServicesView::OwnValuesRole).toStringList().isEmpty());
    QVERIFY(hello->font(ProtoServicesView::SecurityColumn).italic());

    QTreeWidgetItem *stream = m_view->item(QStringLiteral("helloworld.Greeter"), QStringLiteral("SayHelloStream"));
    QCOMPARE(stream->text(ProtoServicesView::KindColumn), QStringLiteral("server streaming"));
    QCOMPARE(stream->text(ProtoServicesView::TierColumn), QStringLiteral("Silver"));
    QVERIFY(!stream->font(ProtoServicesView::TierColumn).italic());
    QCOMPARE(m_view->item(QStringLiteral("helloworld.Greeter"), QStringLiteral("Chat"))
                 ->text(ProtoServicesView::KindColumn),
             QStringLiteral("bidirectional streaming"));
    QVERIFY(m_view->statusText().isEmpty());
}

void tst_ProtoServicesView::editingScopesInTheTableWritesTheOptionAsOneUndoStep()
{
    m_view->show();
    QTreeWidget *table = m_view->table();
    QTreeWidgetItem *hello = m_view->item(QStringLiteral("helloworld.Greeter"), QStringLiteral("SayHello"));
    const QModelIndex index = table->indexFromItem(hello, ProtoServicesView::ScopesColumn);
    table->setCurrentIndex(index);
    table->edit(index);
    auto *edit = table->viewport()->findChild<QLineEdit *>();
    QVERIFY(edit);
    QCOMPARE(edit->text(), QStringLiteral("greet:read"));
    edit->setText(QStringLiteral("greet:read greet:write"));
    const int parses = m_parser->parseCount();
    QTest::keyClick(edit, Qt::Key_Return);

    // The delegate commits on the next turn of the event loop.
    QTRY_VERIFY(m_editor->toPlainText().contains(QStringLiteral(
        "option (gatehouse.method) = { scopes: [\"greet:read\", \"greet:write\"] };")));
    const QString text = m_editor->toPlainText();
    // Everything else is as it was: only that line changed.
    QCOMPARE(text.count(u'\n'), m_text.count(u'\n'));
    QVERIFY(text.contains(QStringLiteral("// One request, one reply. Also reachable as GET")));
    waitForParse(parses);
    QCOMPARE(method(QStringLiteral("SayHello"))->scopes,
             (QStringList{QStringLiteral("greet:read"), QStringLiteral("greet:write")}));
    QTRY_COMPARE(m_view->item(QStringLiteral("helloworld.Greeter"), QStringLiteral("SayHello"))
                     ->text(ProtoServicesView::ScopesColumn),
                 QStringLiteral("greet:read greet:write"));

    m_editor->undo();
    QCOMPARE(m_editor->toPlainText(), m_text);
}

void tst_ProtoServicesView::aTierForAMethodWithoutBodyIsReadBack()
{
    // Chat's option goes; the method is left without a body; then it gets a tier of its own.
    QVERIFY(m_view->setOption(QStringLiteral("helloworld.Greeter"), QStringLiteral("Chat"),
                              ProtoOptionField::MethodScopes, {}));
    QVERIFY(m_editor->toPlainText().contains(QStringLiteral("rpc Chat(stream HelloRequest) returns (stream HelloReply);")));
    QVERIFY(m_view->setOption(QStringLiteral("helloworld.Greeter"), QStringLiteral("Chat"),
                              ProtoOptionField::MethodTier, {QStringLiteral("Bronze")}));
    const int parses = m_parser->parseCount();
    waitForParse(parses);
    QVERIFY(!m_parser->isStale());
    QVERIFY(method(QStringLiteral("Chat"))->scopes.isEmpty());
    QCOMPARE(method(QStringLiteral("Chat"))->throttlingTier, QStringLiteral("Bronze"));
    QVERIFY2(!m_parser->diagnostics().hasErrors(), qPrintable(m_parser->diagnostics().toString()));
}

void tst_ProtoServicesView::aBrokenFileIsReportedAtItsLineAndTheTableStays()
{
    // A method whose signature loses its closing parenthesis.
    const QString broken = QString(m_text).replace(QStringLiteral("rpc SayHello(HelloRequest) returns"),
                                                   QStringLiteral("rpc SayHello(HelloRequest returns"));
    QVERIFY(broken != m_text);
    const int line = int(m_text.left(m_text.indexOf(QStringLiteral("rpc SayHello("))).count(u'\n')) + 1;
    const int parses = m_parser->parseCount();
    m_editor->setPlainText(broken);
    waitForParse(parses);
    QTRY_VERIFY(m_parser->isStale());
    QVERIFY(m_parser->diagnostics().hasErrors());
    const Diagnostic &first = m_parser->diagnostics().items().first();
    QCOMPARE(first.location.file, QStringLiteral("protos/greeter.proto"));
    QCOMPARE(first.location.line, line);
    QVERIFY(!m_editor->lineToolTip(line - 1).isEmpty());   // underlined there
    QVERIFY(m_view->statusText().contains(QStringLiteral("line %1").arg(line)));
    // The last good state is still there.
    QCOMPARE(m_view->item(QStringLiteral("helloworld.Greeter"))->childCount(), 3);
    QCOMPARE(m_view->item(QStringLiteral("helloworld.Greeter"), QStringLiteral("SayHello"))
                 ->text(ProtoServicesView::ScopesColumn),
             QStringLiteral("greet:read"));
}

void tst_ProtoServicesView::aFileThatNeverParsedIsNotCalledStale()
{
    // Opened broken: there is no earlier version for the table to show.
    CodeEditor editor;
    editor.setFilePath(m_dir.filePath(QStringLiteral("protos/greeter.proto")), m_dir.path());
    editor.setPlainText(QString(m_text).replace(QStringLiteral("rpc SayHello(HelloRequest) returns"),
                                                QStringLiteral("rpc SayHello(HelloRequest returns")));
    auto *parser = new ProtoLiveParser(&editor);
    parser->setDelay(std::chrono::milliseconds(10));
    ProtoServicesView view;
    view.setEditor(&editor);
    QTRY_VERIFY(parser->hasParsed());
    QVERIFY(parser->lastParseFailed());
    QVERIFY(!parser->isStale());
    QVERIFY(parser->services().isEmpty());
    QTRY_VERIFY(view.statusText().contains(QStringLiteral("does not parse")));
    QVERIFY2(!view.statusText().contains(QStringLiteral("last version")), qPrintable(view.statusText()));
}

void tst_ProtoServicesView::anUnknownTierIsUnderlinedFromTheProjectCheck()
{
    const int parses = m_parser->parseCount();
    QVERIFY(m_view->setOption(QStringLiteral("helloworld.Greeter"), QStringLiteral("SayHello"),
                              ProtoOptionField::MethodTier, {QStringLiteral("Goldd")}));
    waitForParse(parses);
    QVERIFY(!m_parser->isStale());
    QVERIFY(m_parser->diagnostics().hasErrors());
    QVERIFY2(m_parser->diagnostics().toString().contains(QStringLiteral("Goldd")),
             qPrintable(m_parser->diagnostics().toString()));
}

void tst_ProtoServicesView::aRefusedValueIsShownAndLeavesTheTextAlone()
{
    QVERIFY(!m_view->setOption(QStringLiteral("helloworld.Greeter"), QString(),
                               ProtoOptionField::ServiceSecurity, {QStringLiteral("kerberos")}));
    QVERIFY(m_view->statusText().contains(QStringLiteral("kerberos")));
    QCOMPARE(m_editor->toPlainText(), m_text);
    QVERIFY(!m_editor->document()->isUndoAvailable());
}

QTEST_MAIN(tst_ProtoServicesView)
#include "tst_protoservicesview.moc"
