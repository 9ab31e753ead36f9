// Policy forms generated from the registry's schemas: the right widget per type, defaults and
// descriptions shown, the validator's problems under the field they name, list items added and
// removed, and an edit in the Gateway Settings form written into the OpenAPI text by Apply.
#include "codeeditor.h"
#include "gatewayform.h"
#include "openapiliveparser.h"
#include "policylisteditor.h"
#include "policysettingsform.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Gatehouse;

class tst_PolicySettingsForm : public QObject
{
    Q_OBJECT
private slots:
    void fieldsFollowTheSchema_data();
    void fieldsFollowTheSchema();
    void anEnumShowsItsDefaultAndWritesTheChoice();
    void problemsAppearUnderTheFieldTheyName();
    void listItemsAreAddedAndRemoved();
    void anUnknownPolicyKeepsItsSettings();
    void aFormEditIsAppliedIntoTheApiText();
};

void tst_PolicySettingsForm::fieldsFollowTheSchema_data()
{
    QTest::addColumn<QString>("policy");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("widgetClass");

    QTest::newRow("a header name in a list of objects is a line edit")
        << "set-headers" << "settings.request[0].name" << "QLineEdit";
    QTest::newRow("a list of header names is one name per line")
        << "remove-headers" << "settings.request" << "QPlainTextEdit";
    QTest::newRow("a choice of values is a combo box") << "json-to-xml" << "settings.apply" << "QComboBox";
}

void tst_PolicySettingsForm::fieldsFollowTheSchema()
{
    QFETCH(QString, policy);
    QFETCH(QString, path);
    QFETCH(QString, widgetClass);
    PolicySettingsForm form;
    form.setPolicy(policy, QJsonObject{{QStringLiteral("request"),
                                        QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("X-A")},
                                                               {QStringLiteral("value"), QStringLiteral("1")}}}}});
    QWidget *field = form.fieldWidget(path);
    QVERIFY2(field, qPrintable(path));
    QCOMPARE(QString::fromLatin1(field->metaObject()->className()), widgetClass);
    QVERIFY(!field->toolTip().isEmpty());   // the schema's description
}

void tst_PolicySettingsForm::anEnumShowsItsDefaultAndWritesTheChoice()
{
    PolicySettingsForm form;
    form.setPolicy(QStringLiteral("json-to-xml"), {});
    auto *apply = qobject_cast<QComboBox *>(form.fieldWidget(QStringLiteral("settings.apply")));
    QVERIFY(apply);
    QCOMPARE(apply->itemText(0), QStringLiteral("(default: request)"));
    QVERIFY(form.settings().isEmpty());   // an untouched form writes nothing
    QSignalSpy changed(&form, &PolicySettingsForm::settingsChanged);
    apply->setCurrentIndex(apply->findText(QStringLiteral("both")));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(form.settings().value(u"apply").toString(), QStringLiteral("both"));
    QVERIFY(form.problems().isEmpty());
}

void tst_PolicySettingsForm::problemsAppearUnderTheFieldTheyName()
{
    PolicySettingsForm form;
    form.setPolicy(QStringLiteral("set-headers"),
                   QJsonObject{{QStringLiteral("request"),
                                QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("X-A")},
                                                       {QStringLiteral("value"), QStringLiteral("1")}}}}});
    QVERIFY(form.problems().isEmpty());
    auto *name = qobject_cast<QLineEdit *>(form.fieldWidget(QStringLiteral("settings.request[0].name")));
    QVERIFY(name);
    name->setText(QStringLiteral("bad name"));
    emit name->textEdited(name->text());
    QVERIFY(!form.problems().isEmpty());
    QVERIFY2(form.errorAt(QStringLiteral("settings.request[0].name")).contains(u"a header name"),
             qPrintable(form.problems().join(u'\n')));
    QVERIFY(form.errorAt(QStringLiteral("settings.request[0].value")).isEmpty());

    name->setText(QString());   // required: the key goes, and the validator says it is missing
    emit name->textEdited(name->text());
    QVERIFY(!form.errorAt(QStringLiteral("settings.request[0].name")).isEmpty());
    name->setText(QStringLiteral("X-B"));
    emit name->textEdited(name->text());
    QVERIFY(form.problems().isEmpty());
    QCOMPARE(form.settings().value(u"request").toArray().at(0)[u"name"].toString(), QStringLiteral("X-B"));
}

void tst_PolicySettingsForm::listItemsAreAddedAndRemoved()
{
    PolicySettingsForm form;
    form.setPolicy(QStringLiteral("set-headers"), {});
    QSignalSpy changed(&form, &PolicySettingsForm::settingsChanged);
    QPushButton *add = nullptr;
    for (QPushButton *b : form.findChildren<QPushButton *>())
        if (b->text() == u"Add item" && !add)
            add = b;   // the first list: request
    QVERIFY(add);
    add->click();
    QTRY_COMPARE(changed.count(), 1);
    auto *name = qobject_cast<QLineEdit *>(form.fieldWidget(QStringLiteral("settings.request[0].name")));
    QVERIFY(name);
    QVERIFY(!form.problems().isEmpty());   // a new item still needs its name and value
    name->setText(QStringLiteral("X-New"));
    emit name->textEdited(name->text());
    auto *value = qobject_cast<QLineEdit *>(form.fieldWidget(QStringLiteral("settings.request[0].value")));
    value->setText(QStringLiteral("v"));
    emit value->textEdited(value->text());
    QVERIFY2(form.problems().isEmpty(), qPrintable(form.problems().join(u'\n')));

    QPushButton *remove = nullptr;
    for (QPushButton *b : form.findChildren<QPushButton *>())
        if (b->text() == u"Remove item 1")
            remove = b;
    QVERIFY(remove);
    remove->click();
    QTRY_VERIFY(!form.fieldWidget(QStringLiteral("settings.request[0].name")));
    QVERIFY(form.settings().isEmpty());
}

void tst_PolicySettingsForm::anUnknownPolicyKeepsItsSettings()
{
    PolicySettingsForm form;
    const QJsonObject settings{{QStringLiteral("anything"), 1}};
    form.setPolicy(QStringLiteral("from-some-hub"), settings);
    QCOMPARE(form.settings(), settings);
    QVERIFY(!form.fieldWidget(QStringLiteral("settings.anything")));
}

void tst_PolicySettingsForm::aFormEditIsAppliedIntoTheApiText()
{
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("apis")));
    const QString text = QStringLiteral(
        "openapi: 3.0.3\n"
        "info: {title: Pets, version: v1}\n"
        "servers: [{url: 'http://127.0.0.1:8080/api'}]\n"
        "paths:\n"
        "  /pets:\n"
        "    post:\n"
        "      # the pets are stored as XML upstream\n"
        "      x-gatehouse-request-policies:\n"
        "        - name: json-to-xml\n"
        "      responses: {'201': {description: created}}\n");
    CodeEditor editor;
    editor.setFilePath(dir.filePath(QStringLiteral("apis/pets.yaml")), dir.path());
    editor.setPlainText(text);
    auto *parser = new OpenApiLiveParser(&editor);
    parser->setDelay(std::chrono::milliseconds(10));
    GatewayForm form;
    form.setEditor(&editor);
    QTRY_VERIFY(parser->api().has_value());
    form.setOperation(QStringLiteral("POST"), QStringLiteral("/pets"));

    PolicyListEditor *requests = form.requestPoliciesEditor();
    QCOMPARE(requests->list()->count(), 1);
    requests->list()->setCurrentRow(0);
    PolicySettingsForm *settings = requests->settingsForm();
    QVERIFY(!settings->isHidden());
    QCOMPARE(settings->policyName(), QStringLiteral("json-to-xml"));
    auto *root = qobject_cast<QLineEdit *>(settings->fieldWidget(QStringLiteral("settings.rootName")));
    QVERIFY2(root, "json-to-xml has a rootName setting");
    root->setText(QStringLiteral("pet"));
    emit root->textEdited(root->text());
    QVERIFY(form.isDirty());
    QVERIFY2(form.apply(), qPrintable(form.errorText()));
    const QString after = editor.toPlainText();
    QVERIFY2(after.contains(QStringLiteral("rootName: pet")), qPrintable(after));
    QVERIFY(after.contains(QStringLiteral("# the pets are stored as XML upstream")));
    QTRY_VERIFY(parser->parseCount() >= 2);
    const Operation *post = nullptr;
    for (const Operation &op : parser->api()->operations)
        if (op.method == u"POST")
            post = &op;
    QVERIFY(post);
    QCOMPARE(post->extensions.requestPolicies.first().settings.value(u"rootName").toString(), QStringLiteral("pet"));
}

QTEST_MAIN(tst_PolicySettingsForm)
#include "tst_policysettingsform.moc"
