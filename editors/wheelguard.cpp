// leaveWheelToTheForm: one event filter for every guarded field.
#include "wheelguard.h"

#include <QAbstractScrollArea>
#include <QCoreApplication>
#include <QEvent>
#include <QWidget>

namespace Gatehouse {

namespace {

class WheelGuard : public QObject
{
public:
    using QObject::QObject;
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() != QEvent::Wheel)
            return false;
        auto *field = static_cast<QWidget *>(watched);
        if (field->hasFocus())
            return false;
        for (QWidget *p = field->parentWidget(); p; p = p->parentWidget()) {
            if (auto *area = qobject_cast<QAbstractScrollArea *>(p)) {
                QCoreApplication::sendEvent(area->viewport(), event);
                break;
            }
        }
        return true;
    }
};

} // namespace

void leaveWheelToTheForm(QWidget *field)
{
    static WheelGuard *guard = new WheelGuard(QCoreApplication::instance());
    field->setFocusPolicy(Qt::StrongFocus);   // a wheel turn must not give it focus either
    field->installEventFilter(guard);
}

} // namespace Gatehouse
