// Form fields in a scrolling dock (combo boxes, spin boxes) leave the mouse wheel to the form
// unless they have the keyboard focus: scrolling past a field must not change its value.
#pragma once

class QWidget;

namespace Gatehouse {

// From now on a wheel turn over `field` while it lacks focus scrolls the nearest scroll area
// around it (or goes nowhere); once the field has focus (clicked or tabbed to) the wheel is its.
void leaveWheelToTheForm(QWidget *field);

} // namespace Gatehouse
