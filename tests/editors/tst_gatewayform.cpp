// The gateway form over the petstore sample: fields show the API's and an operation's settings,
// Apply writes only the changed keys as one undo step, and the live parse reads them back.
#include "codeeditor.h"
#include "gatewayform.h"
#include "openapiliveparser.h"
#include "openapioutline.h"
#include "policylisteditor.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QWheelEvent>

using namespace Gatehouse;

class tst_GatewayForm : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void showsTheApiSettings();
    void showsAnOperationsSettings();
    void applyWritesOnlyWhatChangedAsOneUndoStep();
    void applyOnAnOperationKeepsItsSchemesScopes();
    void anOperationsEndpointsAreReadBackAfterApply();
    void theWheelScrollsTheFormInsteadOfChangingAChoice();
    void clearingAFieldRemovesItsKey();
    void policiesAreAddedAndReordered();
    void followsTheOutline();
    void withoutAnApiTheFormIsDisabled();

private:
    const ApiSpec &api() const { return *m_parser->api(); }
    const Operation *op(const char *method, const char *path) const;
    void waitForParseAfterEdit();

    QTemporaryDir m_dir;
    QString m_text;
    std::unique_ptr<CodeEditor> m_editor;
    std::unique_ptr<GatewayForm> m_form;
    OpenApiLiveParser *m_parser = nullptr;
};

void tst_GatewayForm::initTestCase()
{
    QFile file(qEnvironmentVariable("GATEHOUSE_SOURCE_DIR")
               + QStringLiteral("/resources/samples/petstore/apis/petstore.yaml"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    m_text = QString::fromUtf8(file.readAll());
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("apis")));
}

void tst_GatewayForm::init()
{
    m_editor = std::make_unique<CodeEditor>();
    m_editor->setFilePath(m_dir.filePath(QStringLiteral("apis/petstore.yaml")), m_dir.path());
    m_editor->setPlainText(m_text);
    m_editor->document()->setModified(false);
    m_parser = new OpenApiLiveParser(m_editor.get());
    m_parser->setDelay(std::chrono::milliseconds(10));
    m_form = std::make_unique<GatewayForm>();
    m_form->setTiers({QStringLiteral("Bronze"), QStringLiteral("Gold"), QStringLiteral("Silver"),
                      QStringLiteral("Unlimited")});
    m_form->setEditor(m_editor.get());
    QTRY_VERIFY(m_parser->api().has_value());
}

void tst_GatewayForm::cleanup()
{
    m_form.reset();
    m_editor.reset();
}

const Operation *tst_GatewayForm::op(const char *method, const char *path) const
{
    for (const Operation &o : api().operations) {
        if (o.method == QLatin1String(method) && o.pathTemplate == QLatin1String(path))
            return &o;
    }
    return nullptr;
}

void tst_GatewayForm::waitForParseAfterEdit()
{
    const int before = m_parser->parseCount();
    QTRY_VERIFY(m_parser->parseCount() > before && !m_parser->isBusy());
}

static QStringList checked(const QListWidget *list)
{
    QStringList out;
    for (int i = 0; i < list->count(); ++i) {
        if (list->item(i)->checkState() == Qt::Checked)
            out.append(list->item(i)->text());
    }
    return out;
}

void tst_GatewayForm::showsTheApiSettings()
{
    QCOMPARE(m_form->basePathEdit()->text(), QStringLiteral("/petstore/{version}"));
    QVERIFY(m_form->basePathEdit()->isEnabled());
    QCOMPARE(m_form->tierBox()->currentData().toString(), QStringLiteral("Gold"));
    QCOMPARE(m_form->securityBox()->currentData().toInt(), int(GatewayForm::SecurityMode::Schemes));
    QCOMPARE(checked(m_form->schemeList()), (QStringList{QStringLiteral("api_key"), QStringLiteral("oauth2")}));
    QVERIFY(m_form->endpointsEdit()->toPlainText().isEmpty());
    QVERIFY(!m_form->isDirty());
}

void tst_GatewayForm::showsAnOperationsSettings()
{
    m_form->setOperation(QStringLiteral("GET"), QStringLiteral("/pets/findByStatus"));
    QVERIFY(!m_form->basePathEdit()->isEnabled());
    QCOMPARE(m_form->tierBox()->currentData().toString(), QStringLiteral("Silver"));
    m_form->setOperation(QStringLiteral("GET"), QStringLiteral("/health"));
    QCOMPARE(m_form->securityBox()->currentData().toInt(), int(GatewayForm::SecurityMode::Open));
    QCOMPARE(m_form->tierBox()->currentData().toString(), QString());   // same as the API
}

void tst_GatewayForm::applyWritesOnlyWhatChangedAsOneUndoStep()
{
    m_form->basePathEdit()->setText(QStringLiteral("/shop/{version}"));
    m_form->endpointsEdit()->setPlainText(QStringLiteral("http://127.0.0.1:8081/api\nhttp://127.0.0.1:8082/api"));
    m_form->strategyBox()->setCurrentIndex(m_form->strategyBox()->findData(QStringLiteral("failover")));
    m_form->tierBox()->setCurrentIndex(m_form->tierBox()->findData(QStringLiteral("Bronze")));
    QVERIFY(m_form->isDirty());
    QVERIFY(m_form->apply());
    QVERIFY(!m_form->isDirty());
    // Untouched fields stay as written, in their order (the form lists schemes alphabetically).
    QVERIFY(m_editor->toPlainText().contains(QStringLiteral("security:\n  - oauth2: []\n  - api_key: []\n")));

    const QString edited = m_editor->toPlainText();
    QStringList before = m_text.split(u'\n');
    QStringList after = edited.split(u'\n');
    QVERIFY(after.contains(QStringLiteral("x-gatehouse-basePath: /shop/{version}")));
    QVERIFY(after.contains(QStringLiteral("x-gatehouse-throttling-tier: Bronze")));
    QVERIFY(after.contains(QStringLiteral("x-gatehouse-production-endpoints:")));
    // Three lines for the endpoints came in; the two changed lines were replaced; nothing else moved.
    QCOMPARE(after.size(), before.size() + 3);
    int differing = 0;
    for (const QString &line : std::as_const(before))
        differing += after.contains(line) ? 0 : 1;
    QCOMPARE(differing, 2);

    waitForParseAfterEdit();
    QCOMPARE(api().basePathTemplate, QStringLiteral("/shop/{version}"));
    QCOMPARE(api().extensions.throttlingTier, QStringLiteral("Bronze"));
    QVERIFY(api().extensions.productionEndpoints);
    QCOMPARE(api().extensions.productionEndpoints->strategy, EndpointStrategy::Failover);
    QCOMPARE(api().extensions.productionEndpoints->urls.size(), 2);
    QVERIFY2(!m_parser->diagnostics().hasErrors(), qPrintable(m_parser->diagnostics().toString()));
    QCOMPARE(m_form->basePathEdit()->text(), QStringLiteral("/shop/{version}"));   // re-read
    QCOMPARE(m_form->strategyBox()->currentData().toString(), QStringLiteral("failover"));
    QCOMPARE(m_form->endpointsEdit()->toPlainText(), QStringLiteral("http://127.0.0.1:8081/api\nhttp://127.0.0.1:8082/api"));

    m_editor->undo();   // one step takes the whole form edit back
    QCOMPARE(m_editor->toPlainText(), m_text);
}

void tst_GatewayForm::anOperationsEndpointsAreReadBackAfterApply()
{
    m_form->setOperation(QStringLiteral("GET"), QStringLiteral("/pets/findByStatus"));
    m_form->endpointsEdit()->setPlainText(QStringLiteral("http://127.0.0.1:8081/api\nhttp://127.0.0.1:8082/api"));
    m_form->strategyBox()->setCurrentIndex(m_form->strategyBox()->findData(QStringLiteral("failover")));
    QVERIFY(m_form->apply());
    waitForParseAfterEdit();
    QVERIFY(op("GET", "/pets/findByStatus")->extensions.productionEndpoints);
    QCOMPARE(op("GET", "/pets/findByStatus")->extensions.productionEndpoints->strategy, EndpointStrategy::Failover);
    QCOMPARE(m_form->strategyBox()->currentData().toString(), QStringLiteral("failover"));
    QVERIFY(!m_form->isDirty());
}

void tst_GatewayForm::theWheelScrollsTheFormInsteadOfChangingAChoice()
{
    // In the main window the form scrolls in its dock: a wheel turn over a choice on the way
    // scrolls the form and leaves the choice (Single upstream stayed Failover otherwise, unseen).
    QScrollArea scroll;
    scroll.setWidgetResizable(true);
    GatewayForm *form = m_form.release();
    scroll.setWidget(form);
    scroll.resize(300, 200);
    scroll.show();
    QVERIFY(QTest::qWaitForWindowExposed(&scroll));
    form->setOperation(QStringLiteral("GET"), QStringLiteral("/pets/findByStatus"));
    QComboBox *tier = form->tierBox();
    const int before = tier->currentIndex();
    scroll.verticalScrollBar()->setValue(scroll.verticalScrollBar()->maximum());
    const int bottom = scroll.verticalScrollBar()->value();
    QVERIFY(bottom > 0);
    auto wheelUp = [tier] {
        const QPointF at(tier->width() / 2.0, tier->height() / 2.0);
        QWheelEvent wheel(at, tier->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(tier, &wheel);
    };
    wheelUp();
    QCOMPARE(tier->currentIndex(), before);
    QVERIFY(scroll.verticalScrollBar()->value() < bottom);
    QVERIFY(!form->isDirty());
    tier->setFocus();   // chosen on purpose: the wheel is the field's
    wheelUp();
    QVERIFY(tier->currentIndex() != before);
    scroll.takeWidget();
    m_form.reset(form);
}

void tst_GatewayForm::applyOnAnOperationKeepsItsSchemesScopes()
{
    m_form->setOperation(QStringLiteral("GET"), QStringLiteral("/pets"));
    QCOMPARE(checked(m_form->schemeList()), (QStringList{QStringLiteral("api_key"), QStringLiteral("oauth2")}));
    for (int i = 0; i < m_form->schemeList()->count(); ++i) {
        QListWidgetItem *item = m_form->schemeList()->item(i);
        if (item->text() == u"api_key")
            item->setCheckState(Qt::Unchecked);
        if (item->text() == u"basic")
            item->setCheckState(Qt::Checked);
    }
    m_form->scopesEdit()->setText(QStringLiteral("pets:read"));
    m_form->disableSecurityBox()->setChecked(false);
    QVERIFY(m_form->apply());
    waitForParseAfterEdit();
    const Operation *list = op("GET", "/pets");
    QVERIFY(list && list->security);
    QCOMPARE(list->security->size(), 2);
    QCOMPARE(list->security->at(0).first(),   // as written first, with its scopes
             (SecurityRequirementItem{QStringLiteral("oauth2"), {QStringLiteral("pets:read")}}));
    QCOMPARE(list->security->at(1).first().scheme, QStringLiteral("basic"));   // new: last
    QCOMPARE(list->extensions.scopes, QStringList{QStringLiteral("pets:read")});
    // The comment above the operation's security stays where it was.
    const QStringList lines = m_editor->toPlainText().split(u'\n');
    const qsizetype at = lines.indexOf(QStringLiteral("      security:"));
    QVERIFY(lines.at(at - 1).trimmed().startsWith(u'#'));
}

void tst_GatewayForm::clearingAFieldRemovesItsKey()
{
    m_form->setOperation(QStringLiteral("GET"), QStringLiteral("/pets/findByStatus"));
    m_form->tierBox()->setCurrentIndex(0);   // same as the API
    QVERIFY(m_form->apply());
    QVERIFY(m_editor->toPlainText().contains(
        QStringLiteral("      security:\n        - oauth2: [pets:read]\n        - api_key: []\n")));
    QVERIFY(!m_editor->toPlainText().contains(QStringLiteral("x-gatehouse-throttling-tier: Silver")));
    QCOMPARE(m_editor->toPlainText().split(u'\n').size(), m_text.split(u'\n').size() - 1);
    waitForParseAfterEdit();
    QCOMPARE(op("GET", "/pets/findByStatus")->extensions.throttlingTier, QString());
}

void tst_GatewayForm::policiesAreAddedAndReordered()
{
    PolicyListEditor *request = m_form->requestPoliciesEditor();
    QVERIFY(request->availablePolicies().contains(QStringLiteral("set-headers")));
    QVERIFY(!m_form->responsePoliciesEditor()->availablePolicies().isEmpty());
    m_form->setOperation(QStringLiteral("GET"), QStringLiteral("/health"));
    request->addPolicy(QStringLiteral("deny"));
    request->addPolicy(QStringLiteral("set-headers"));
    request->moveCurrent(-1);   // set-headers first
    QVERIFY(m_form->isDirty());
    QVERIFY(m_form->apply());
    const QStringList lines = m_editor->toPlainText().split(u'\n');
    const qsizetype at = lines.indexOf(QStringLiteral("      x-gatehouse-request-policies:"));
    QVERIFY2(at > 0, qPrintable(m_editor->toPlainText()));
    QCOMPARE(lines.at(at + 1), QStringLiteral("        - name: set-headers"));
    QCOMPARE(lines.at(at + 2), QStringLiteral("        - name: deny"));
    waitForParseAfterEdit();
    const Operation *health = op("GET", "/health");
    QCOMPARE(health->extensions.requestPolicies.size(), 2);
    QCOMPARE(health->extensions.requestPolicies.first().name, QStringLiteral("set-headers"));

    // Removing both takes the key out again: the text is as it was.
    m_form->requestPoliciesEditor()->list()->setCurrentRow(0);
    m_form->requestPoliciesEditor()->removeCurrent();
    m_form->requestPoliciesEditor()->removeCurrent();
    QVERIFY(m_form->apply());
    QCOMPARE(m_editor->toPlainText(), m_text);
}

void tst_GatewayForm::followsTheOutline()
{
    OpenApiOutline outline;
    QObject::connect(&outline, &OpenApiOutline::currentOperationChanged, m_form.get(),
                     &GatewayForm::setOperation);
    outline.setEditor(m_editor.get());
    const QTextBlock block = m_editor->document()->findBlockByNumber(
        int(m_text.split(u'\n').indexOf(QStringLiteral("      operationId: findPetsByStatus"))));
    QTextCursor cursor(block);
    m_editor->setTextCursor(cursor);
    QTRY_COMPARE(m_form->pathTemplate(), QStringLiteral("/pets/findByStatus"));
    QCOMPARE(m_form->method(), QStringLiteral("GET"));
    m_editor->moveCursor(QTextCursor::Start);
    QTRY_VERIFY(m_form->method().isEmpty());
}

void tst_GatewayForm::withoutAnApiTheFormIsDisabled()
{
    m_form->setEditor(nullptr);
    QVERIFY(!m_form->tierBox()->isEnabled());
    QVERIFY(!m_form->apply());
}

QTEST_MAIN(tst_GatewayForm)
#include "tst_gatewayform.moc"
