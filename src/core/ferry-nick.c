/* ferry-nick.c: see ferry-nick.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ferry-nick.h"

const char *
ferry_enum_to_nick (GType type,
                    int   value)
{
  /* The class is kept referenced for good: the nick it returns stays. */
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *found = g_enum_get_value (klass, value);

  return found != NULL ? found->value_nick : "";
}

gboolean
ferry_enum_from_nick (GType       type,
                      const char *nick,
                      int        *value)
{
  GEnumClass *klass;
  GEnumValue *found;

  if (nick == NULL)
    return FALSE;
  klass = g_type_class_ref (type);
  found = g_enum_get_value_by_nick (klass, nick);
  if (found == NULL)
    return FALSE;
  *value = found->value;
  return TRUE;
}
