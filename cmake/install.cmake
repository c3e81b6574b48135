# make install / cmake --install: the wembed binary, the static libraries, the
# public headers (include/wembed/**, with the generated version.h), a CMake
# package (find_package(wembed) -> wembed::wembed, wembed::core, ...) and a
# pkg-config file (wembed.pc). Included from the top-level CMakeLists.txt.
include(CMakePackageConfigHelpers)

set(WEMBED_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/wembed)
set(WEMBED_LIBRARIES wembed_core wembed_distributed wembed_corpus wembed_vectors wembed_word2vec wembed_glove wembed_phrases wembed_plot wembed_sentiment)

install(TARGETS wembed RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS ${WEMBED_LIBRARIES} wembed_lib EXPORT wembedTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/wembed DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(FILES ${WEMBED_GENERATED_INCLUDE}/wembed/version.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/wembed)

install(EXPORT wembedTargets NAMESPACE wembed:: DESTINATION ${WEMBED_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/wembedConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/wembedConfig.cmake INSTALL_DESTINATION ${WEMBED_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/wembedConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/wembedConfig.cmake ${PROJECT_BINARY_DIR}/wembedConfigVersion.cmake
              ${CMAKE_CURRENT_LIST_DIR}/FindCairo.cmake
        DESTINATION ${WEMBED_CMAKE_DIR})

# wembed.pc: the prefix relative to the file itself (${pcfiledir}), so that an
# install with --prefix or DESTDIR, or a moved tree, still gives working paths.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(WEMBED_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH _up "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
  string(REGEX REPLACE "/$" "" _up "${_up}")
  set(WEMBED_PC_PREFIX "\${pcfiledir}/${_up}")
endif()
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(WEMBED_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(WEMBED_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
set(WEMBED_PC_OPENMP "${OpenMP_CXX_FLAGS}")
set(WEMBED_PC_MPI "")
if(WEMBED_MPI)
  list(JOIN MPI_CXX_LIBRARIES " " WEMBED_PC_MPI)
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/wembed.pc.in ${PROJECT_BINARY_DIR}/wembed.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/wembed.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
