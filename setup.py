"""Builds the extension wembed._wembed with the project's CMake build (pyproject.toml has the
metadata). The CMake tree lives in build-pip/cmake; setuptools' own files in build-pip too, away
from `make`'s build/."""
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = os.path.dirname(os.path.abspath(__file__))


class CMakeBuild(build_ext):
    """Configures and builds the target _wembed for the running interpreter, then copies the
    module where setuptools expects it."""

    def build_extension(self, ext):
        tree = os.path.join(ROOT, "build-pip", "cmake")
        args = ["-DCMAKE_BUILD_TYPE=Release", "-DWEMBED_PYTHON=ON", "-DWEMBED_TESTS=OFF",
                f"-DPython_EXECUTABLE={sys.executable}"]
        try:  # pybind11 from pip (an isolated build) has its CMake files inside the package
            import pybind11
            args.append(f"-Dpybind11_DIR={pybind11.get_cmake_dir()}")
        except ImportError:
            pass  # Debian's pybind11-dev: found by CMake itself
        if shutil.which("ccache"):
            args.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
        if shutil.which("ninja"):
            args += ["-G", "Ninja"]
        subprocess.check_call(["cmake", "-S", ROOT, "-B", tree] + args)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        subprocess.check_call(["cmake", "--build", tree, "--target", "_wembed", "-j", jobs])
        built = os.path.join(tree, "python", "wembed", os.path.basename(self.get_ext_filename(ext.name)))
        dest = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(built, dest)


os.makedirs(os.path.join(ROOT, "build-pip"), exist_ok=True)
setup(ext_modules=[Extension("wembed._wembed", sources=[])], cmdclass={"build_ext": CMakeBuild},
      options={"build": {"build_base": "build-pip"}, "egg_info": {"egg_base": "build-pip"}})
