"""A worker's sandbox: its own home (XDG folders, a copy of the seed home for model families)
and an input folder, so two workers never share a file."""

import os
import shutil


class Worker:
    def __init__(self, root):
        self.root = root
        self.home = os.path.join(root, "home")
        self.inputs = os.path.join(root, "in")
        self._seeded = None
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(self.home)

    def write(self, family, files):
        """Writes a case's files into a fresh folder; returns name -> path."""
        folder = os.path.join(self.inputs, family)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        paths = {}
        for name, data in files.items():
            path = os.path.join(folder, name)
            if data is not None:
                with open(path, "wb") as f:
                    f.write(data)
            paths[name] = path
        return paths

    def use_seed_home(self, seed_home):
        if self._seeded != seed_home:
            shutil.rmtree(self.home, ignore_errors=True)
            shutil.copytree(seed_home, self.home, symlinks=True)
            self._seeded = seed_home

    def model_folder(self, seed_home, model, overlay):
        """models/fuzz: a fresh copy of seed model `model` with the case's files over it."""
        self.use_seed_home(seed_home)
        root = os.path.join(self.home, "data", "tribelens", "models")
        folder = os.path.join(root, "fuzz")
        shutil.rmtree(folder, ignore_errors=True)
        for entry in os.listdir(root):
            if entry.startswith("."):  # a killed run's temporaries
                shutil.rmtree(os.path.join(root, entry), ignore_errors=True)
        shutil.copytree(os.path.join(seed_home, "data", "tribelens", "models", model), folder)
        for name, data in overlay.items():
            path = os.path.join(folder, name)
            if os.path.isdir(path):
                shutil.rmtree(path)
            elif os.path.exists(path):
                os.remove(path)
            if data is not None:
                with open(path, "wb") as f:
                    f.write(data)
        return folder
