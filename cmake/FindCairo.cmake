# FindCairo: the cairo 2-D graphics library (found through pkg-config when it is
# available, else by name). Gives Cairo_FOUND, Cairo_INCLUDE_DIRS, Cairo_LIBRARIES,
# Cairo_VERSION and the imported target Cairo::Cairo.
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(PC_Cairo QUIET cairo)
endif()

find_path(Cairo_INCLUDE_DIR cairo.h HINTS ${PC_Cairo_INCLUDE_DIRS} PATH_SUFFIXES cairo)
find_library(Cairo_LIBRARY NAMES cairo HINTS ${PC_Cairo_LIBRARY_DIRS})
if(PC_Cairo_VERSION)
  set(Cairo_VERSION ${PC_Cairo_VERSION})
elseif(Cairo_INCLUDE_DIR AND EXISTS "${Cairo_INCLUDE_DIR}/cairo-version.h")
  file(STRINGS "${Cairo_INCLUDE_DIR}/cairo-version.h" _cairo_v REGEX "^#define CAIRO_VERSION_(MAJOR|MINOR|MICRO) ")
  string(REGEX REPLACE ".*MAJOR ([0-9]+).*MINOR ([0-9]+).*MICRO ([0-9]+).*" "\\1.\\2.\\3" Cairo_VERSION "${_cairo_v}")
  unset(_cairo_v)
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Cairo REQUIRED_VARS Cairo_LIBRARY Cairo_INCLUDE_DIR VERSION_VAR Cairo_VERSION)

if(Cairo_FOUND)
  set(Cairo_INCLUDE_DIRS ${Cairo_INCLUDE_DIR})
  set(Cairo_LIBRARIES ${Cairo_LIBRARY})
  if(NOT TARGET Cairo::Cairo)
    add_library(Cairo::Cairo UNKNOWN IMPORTED)
    set_target_properties(Cairo::Cairo PROPERTIES IMPORTED_LOCATION "${Cairo_LIBRARY}"
                          INTERFACE_INCLUDE_DIRECTORIES "${Cairo_INCLUDE_DIR}")
  endif()
endif()
mark_as_advanced(Cairo_INCLUDE_DIR Cairo_LIBRARY)
